# Helpers of Images, ImageArchives and Registry .Tests.ps1, dot-sourced in their BeforeAll after TestSupport.psm1 is
# imported: repositories of this run, images tagged several ways, and the engine's view of an image (ids, tags,
# children of the base image).

<# A repository name of this run (lowercase, unique to the run). #>
function Get-TestRepository([Parameter(Mandatory)][string] $What) {
    "dockerps-test/$What-$(Get-TestRunId)"
}

<# The engine's id of an image (sha256:…), by reference or id. #>
function Get-TestImageId([Parameter(Mandatory)][string] $Reference) {
    "$(Invoke-DockerCli image inspect --format '{{.Id}}' $Reference)".Trim()
}

<# The engine's tags of an image (docker image inspect .RepoTags), sorted. #>
function Get-TestRepoTag([Parameter(Mandatory)][string] $Reference) {
    @(Invoke-DockerCli image inspect --format '{{json .RepoTags}}' $Reference | ConvertFrom-Json) | Where-Object { $_ } | Sort-Object
}

<# The engine's repository digests of an image (docker image inspect .RepoDigests). #>
function Get-TestRepoDigest([Parameter(Mandatory)][string] $Reference) {
    @(Invoke-DockerCli image inspect --format '{{json .RepoDigests}}' $Reference | ConvertFrom-Json) | Where-Object { $_ }
}

<#
One image under two tags of "<What>-mine" and one tag each of two other repositories ("<What>-base", "<What>-other");
returns Id, Mine and Others (the references, sorted).
#>
function New-TestSharedImage([Parameter(Mandatory)][string] $What) {
    $mine = @("$(Get-TestRepository "$What-mine"):1", "$(Get-TestRepository "$What-mine"):2")
    $others = @("$(Get-TestRepository "$What-base"):1", "$(Get-TestRepository "$What-other"):2")
    $id = New-TestRootfsImage -Reference $mine[0]
    foreach ($tag in @($mine[1]) + $others) {
        $null = Invoke-DockerCli tag $mine[0] $tag
    }
    Get-TestRepoTag $id | Should -Be (@($mine + $others) | Sort-Object)
    [pscustomobject]@{ Id = $id; Mine = $mine; Others = $others }
}

<# The ids of every image on the engine, intermediate ones too. #>
function Get-TestAllImageId {
    @(Invoke-DockerCli image ls -a -q --no-trunc) | Where-Object { $_ } | Sort-Object -Unique
}

<#
Removes the images that are on the engine now but were not in -Before (ids from Get-TestAllImageId): what a build or a
commit left, intermediate images included, so that no child of the base image stays behind.
#>
function Remove-TestNewImage([AllowEmptyCollection()][string[]] $Before) {
    $new = @(Get-TestAllImageId | Where-Object { $_ -notin $Before })
    if ($new) { $null = Get-DockerCliResult rmi -f @new }
}

<# The ids of the images whose parent is the base image (children left by builds and commits). #>
function Get-TestBaseImageChild {
    $base = Get-TestImageId (Get-TestBaseImage)
    foreach ($id in Get-TestAllImageId) {
        if ("$(Invoke-DockerCli image inspect --format '{{.Parent}}' $id)".Trim() -eq $base) { $id }
    }
}
