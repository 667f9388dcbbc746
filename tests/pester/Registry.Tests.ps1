# Registries as a user meets them, in real pwsh: push and pull through the local open registry, login to the one with
# TLS and basic auth, the docker CLI's own credentials, images held only by digest, and Ctrl+C during a push. Ground
# truth from the docker CLI and the registries themselves.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Images.Support.ps1')
    $label = Get-TestLabel
    $base = Get-TestBaseImage
    $runId = Get-TestRunId
    $registries = Get-TestRegistry
    $open = $registries['OPEN_REGISTRY']
    $auth = $registries['AUTH_REGISTRY']
    $user = $registries['AUTH_USER']
    $password = (Get-Content -Raw -LiteralPath $registries['AUTH_PASSWORD_FILE']).Trim()
}

AfterAll {
    Remove-TestResource
}

Describe 'Publish-DockerImage and Request-DockerImage' {
    It 'push, remove and pull through the open registry give back the same content' {
        # An image of its own, so that after removal every layer really travels back from the registry.
        $sourceId = New-TestRootfsImage 'dockerps-test/roundtrip-src:1' -ExtraBytes 300000
        $buildId = Invoke-DockerCli run --rm --label $label dockerps-test/roundtrip-src:1 cat /etc/build-id
        $remote = "$open/dockerps-test/roundtrip:$runId"

        $tagged = @(Get-DockerImage dockerps-test/roundtrip-src:1 | Add-DockerImageTag -Target $remote -PassThru -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $tagged.Count | Should -Be 1
        $tagged[0].RepoTags | Should -Contain $remote
        Get-TestImageId $remote | Should -Be $sourceId

        $pushed = Invoke-TestPipeline -Script 'Publish-DockerImage -Name $remote -PassThru' -Variable @{ remote = $remote }
        $pushed.Errors | Should -BeNullOrEmpty
        $pushed.Output.Count | Should -Be 1
        $pushed.Output[0].RepoDigests | Should -Not -BeNullOrEmpty
        Get-TestRepoDigest $sourceId | Should -Contain @($pushed.Output[0].RepoDigests)[0]
        @($pushed.Progress | Where-Object ParentActivityId -EQ 1) | Should -Not -BeNullOrEmpty
        @($pushed.Progress | Where-Object { $_.ActivityId -eq 1 -and $_.Activity -eq "Pushing $remote" }) | Should -Not -BeNullOrEmpty
        @($pushed.Progress | Where-Object { $_.ActivityId -eq 1 -and $_.RecordType -eq 'Completed' }) | Should -Not -BeNullOrEmpty

        # By id with -Force: the image goes with both its tags, so every layer has to come back from the registry.
        $containers = @(Invoke-DockerCli ps -aq --filter "label=$label") + @(Invoke-DockerCli ps -aq --filter "name=dockerps-test-$runId-") | Where-Object { $_ }
        if ($containers) { $null = Invoke-DockerCli rm -f @containers }
        Remove-DockerImage -Id $sourceId -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Test-DockerImage $remote | Should -BeFalse
        Test-DockerImage $sourceId | Should -BeFalse

        $pulled = Invoke-TestPipeline -Script 'Request-DockerImage -Name $remote' -Variable @{ remote = $remote }
        $pulled.Errors | Should -BeNullOrEmpty
        $pulled.Output.Count | Should -Be 1
        $pulled.Output[0].RepoTags | Should -Contain $remote
        Test-DockerImage $remote | Should -BeTrue
        $pulled.Output[0].Id | Should -Be (Get-TestImageId $remote)
        @($pulled.Progress | Where-Object { $_.ActivityId -eq 1 -and $_.Activity -eq "Pulling $remote" }) | Should -Not -BeNullOrEmpty
        $layerIds = @($pulled.Progress | Where-Object ParentActivityId -EQ 1 | ForEach-Object ActivityId | Sort-Object -Unique)
        $layerIds | Should -Not -BeNullOrEmpty
        foreach ($id in $layerIds) { $id | Should -BeGreaterThan 1 }

        $name = New-TestName pulled
        $read = @(Request-DockerImage $remote | New-DockerContainer -Name $name -Command sleep, 60 | Start-DockerContainer -PassThru | Invoke-DockerExec -Command cat, /etc/build-id -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $read | Should -Be @($buildId)
    }

    It 'a pull of an unknown tag is an ObjectNotFound error from the stream, and the script goes on' {
        $remote = "$open/dockerps-test/never-pushed:nope"
        $output = @(Request-DockerImage -Name $remote -ErrorVariable err -ErrorAction SilentlyContinue; 'next')
        $null = Assert-TestError $err -Id ImageNotFound -Category ObjectNotFound -AnyTarget
        $output | Should -Be @('next')
        Test-DockerImage $remote | Should -BeFalse
    }

    It 'Ctrl+C during a push of a large image ends within a second' {
        $big = Initialize-TestBigImage
        $remote = "$open/dockerps-test/big:$runId"
        $null = Invoke-DockerCli tag $big $remote
        try {
            $started = Start-TestPipeline -Script 'Publish-DockerImage -Name $remote' -Variable @{ remote = $remote }
            try {
                $progress = $started.PowerShell.Streams.Progress
                $box = @{ Next = 0; Seen = $false }
                Wait-TestCondition -Pipeline $started -Because 'the push reported layer progress' -Condition {
                    while (-not $box.Seen -and $box.Next -lt $progress.Count) {
                        $record = $progress[$box.Next++]
                        $box.Seen = $record.ParentActivityId -eq 1 -and $record.PercentComplete -gt 0 -and $record.PercentComplete -lt 100
                    }
                    $box.Seen
                }

                $null = Assert-TestPipelineStops $started
            }
            finally {
                Remove-TestPipeline $started
            }
        }
        finally {
            $null = Get-DockerCliResult rmi $remote
        }
    }
}

Describe 'Connect-DockerRegistry and Disconnect-DockerRegistry' {
    It 'the auth registry denies without login, refuses a wrong password, and works after Connect' {
        $remote = "$auth/dockerps-test/private:$runId"
        $null = Invoke-DockerCli tag $base $remote
        try {
            Publish-DockerImage -Name $remote -ErrorVariable err -ErrorAction SilentlyContinue
            $null = Assert-TestError $err -Id RegistryAccessDenied -Category PermissionDenied -Target $remote

            $wrong = [pscredential]::new($user, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
            $output = [System.Collections.Generic.List[object]]::new()
            $record = { Connect-DockerRegistry -Registry $auth -Credential $wrong | ForEach-Object { $output.Add($_) } } |
                Should -Throw -ErrorId 'RegistryLoginFailed,*' -PassThru
            $record | Get-TestErrorId | Should -BeExactly RegistryLoginFailed
            $record.CategoryInfo.Category | Should -Be PermissionDenied
            $output | Should -BeNullOrEmpty

            $right = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
            $login = @(Connect-DockerRegistry -Registry $auth -Credential $right -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $login.Count | Should -Be 1
            $login[0] | Should -BeOfType DockerPS.DockerRegistryConnection
            $login[0].Registry | Should -Be $auth
            $login[0].UserName | Should -Be $user

            Publish-DockerImage -Name $remote -ErrorVariable err
            $err | Should -BeNullOrEmpty
            Remove-DockerImage -Name $remote -Force -ErrorVariable err
            $err | Should -BeNullOrEmpty
            Test-DockerImage $remote | Should -BeFalse
            $pulled = @(Request-DockerImage -Name $remote -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $pulled.Count | Should -Be 1
            $pulled[0].Id | Should -Be (Get-TestImageId $base)
            Get-TestImageId $remote | Should -Be (Get-TestImageId $base)

            Disconnect-DockerRegistry -Registry $auth -ErrorVariable err
            $err | Should -BeNullOrEmpty
            Publish-DockerImage -Name $remote -ErrorVariable err -ErrorAction SilentlyContinue
            @($err | Get-TestErrorId) | Should -Be @('RegistryAccessDenied')
            Disconnect-DockerRegistry -Registry $auth -ErrorVariable err -ErrorAction SilentlyContinue
            @($err | Get-TestErrorId) | Should -Be @('RegistryNotConnected')
        }
        finally {
            Disconnect-DockerRegistry -Registry $auth -ErrorAction SilentlyContinue
            $null = Get-DockerCliResult rmi -f $remote
        }
    }

    It 'uses the docker CLI''s config auths when the session has no login' {
        $remote = "$auth/dockerps-test/cliauth:$runId"
        $null = Invoke-DockerCli tag $base $remote
        $folder = (New-Item -ItemType Directory -Path (New-TestPath dockercfg)).FullName
        $empty = (New-Item -ItemType Directory -Path (New-TestPath emptycfg)).FullName
        $token = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("${user}:$password"))
        @{ auths = @{ $auth = @{ auth = $token } } } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath (Join-Path $folder config.json)
        $before = $env:DOCKER_CONFIG
        try {
            $env:DOCKER_CONFIG = $folder
            Publish-DockerImage -Name $remote -ErrorVariable err
            $err | Should -BeNullOrEmpty
            $env:DOCKER_CONFIG = $empty
            Publish-DockerImage -Name $remote -ErrorVariable err -ErrorAction SilentlyContinue
            @($err | Get-TestErrorId) | Should -Be @('RegistryAccessDenied')
        }
        finally {
            $env:DOCKER_CONFIG = $before
            $null = Get-DockerCliResult rmi $remote
        }
        # The push really reached the registry: the engine pulls it back with the same credentials.
        $env:DOCKER_CONFIG = $folder
        try {
            $pulled = Get-DockerCliResult pull $remote
            $pulled.ExitCode | Should -Be 0 -Because $pulled.Error
        }
        finally {
            $env:DOCKER_CONFIG = $before
            $null = Get-DockerCliResult rmi $remote
        }
    }
}

Describe 'Find-DockerImage' {
    It 'with no index reachable is a clear error' {
        $output = [System.Collections.Generic.List[object]]::new()
        $record = { Find-DockerImage busybox -Limit 5 | ForEach-Object { $output.Add($_) } } | Should -Throw -ErrorId 'RegistryUnreachable,*' -PassThru
        $record | Get-TestErrorId | Should -BeExactly RegistryUnreachable
        $record.CategoryInfo.Category | Should -Be ConnectionError
        $record.TargetObject | Should -Be busybox
        $output | Should -BeNullOrEmpty
    }
}

Describe 'A repository held only by digest' {
    It 'is one row as in docker image ls, and removing it untags only the digest' {
        $local = "$(Get-TestRepository digest-keep):1"
        $remote = "$open/$(Get-TestRepository digest)"
        $id = New-TestRootfsImage $local
        $null = Invoke-DockerCli tag $local "${remote}:1"
        $null = Invoke-DockerCli push "${remote}:1"
        $pushed = @(Get-TestRepoDigest $id | Where-Object { $_.StartsWith("$remote@") })
        $pushed.Count | Should -Be 1
        $digest = $pushed[0].Substring($remote.Length + 1)

        # Untagging drops the repository's digest too; pulling by digest brings back the repository with no tag.
        $null = Invoke-DockerCli rmi "${remote}:1"
        $null = Invoke-DockerCli pull "$remote@$digest"

        $rows = @(Get-DockerImage -Id (Get-DockerImage -Name $remote).Id)
        $cli = @(Invoke-DockerCli image ls --no-trunc --format '{{.Repository}} {{.Tag}} {{.ID}}' | Where-Object { $_.EndsWith($id) }) | Sort-Object
        @($rows | ForEach-Object { "$($_.Repository) $($_.Tag) $($_.Id)" }) | Sort-Object | Should -Be $cli
        $byDigest = @($rows | Where-Object Repository -EQ $remote)
        $byDigest.Count | Should -Be 1
        $byDigest[0].Reference | Should -Be "$remote@$digest"

        Get-DockerImage -Name $remote | Remove-DockerImage -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-TestRepoDigest $id | Should -BeNullOrEmpty
        Get-TestRepoTag $id | Should -Be @($local)
    }
}
