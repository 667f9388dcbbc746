# Images as a user lists, tags, removes, prunes, builds and commits them, in real pwsh: one object per reference as
# docker image ls shows them, and removal that touches only the references selected. Ground truth from the docker CLI
# and the engine's own API.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Images.Support.ps1')
    $label = Get-TestLabel
    $base = Get-TestBaseImage
    $childrenBefore = @(Get-TestBaseImageChild)
}

AfterAll {
    Remove-TestResource
}

Describe 'Get-DockerImage' {
    It 'finds images by wildcard, by repository, by short id, and dangling ones' {
        $id = Get-TestImageId $base
        $byWildcard = @(Get-DockerImage 'dockerps-test/busy*')
        $byWildcard.Id | Should -Contain $id
        foreach ($image in $byWildcard) {
            @($image.RepoTags | Where-Object { $_.StartsWith('dockerps-test/busy') }) | Should -Not -BeNullOrEmpty
        }

        $byRepository = @(Get-DockerImage dockerps-test/busybox)
        $byRepository.Count | Should -Be 1
        $byRepository[0].Id | Should -Be $id

        $found = @(Get-DockerImage -Id $id.Substring(7, 12) -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $found.Count | Should -Be 1
        $found[0] | Should -BeOfType DockerPS.DockerImage
        $found[0].Id | Should -Be $id
        $found[0].RepoTags | Should -Contain 'dockerps-test/busybox:latest'
        $found[0].RepoTags[0] | Should -BeLike "*$($found[0].Repository)*"
        $found[0].ShortId | Should -Be $id.Substring(7, 12)
        $found[0].Size | Should -BeGreaterThan 500000
        $found[0].DockerHost.Uri.ToString() | Should -Be 'unix:///var/run/docker.sock'

        # A dangling image: a new import under the same tag leaves the old one untagged.
        $dangle = "$(Get-TestRepository dangle):1"
        $oldId = New-TestRootfsImage $dangle
        $null = New-TestRootfsImage $dangle
        $dangling = @(Get-DockerImage -Dangling)
        $dangling.Id | Should -Contain $oldId
        $dangling.Id | Should -Not -Contain $id
        foreach ($image in $dangling) { $image.Dangling | Should -BeTrue }
        (Invoke-DockerCli image ls -q --no-trunc --filter dangling=true) | Should -Contain $oldId
    }

    It 'carries the run label of an image the test labelled, as the engine shows it' {
        $reference = "$(Get-TestRepository labelled):1"
        $id = New-TestRootfsImage $reference
        $image = Get-DockerImage $reference
        $image.Id | Should -Be $id
        $image.Labels['dockerps.test.run'] | Should -Be (Get-TestRunId)
        $image.Labels['dockerps.test.run'] | Should -Be (Invoke-DockerCli image inspect --format '{{index .Config.Labels "dockerps.test.run"}}' $reference)
    }

    It 'filters by label, -Before, -Since and -Reference, and -Detailed fills in the configuration' {
        $a = New-TestRootfsImage 'dockerps-test/order-a:1' -Change 'LABEL tier=a'
        Start-Sleep -Milliseconds 1100
        $b = New-TestRootfsImage 'dockerps-test/order-b:1' -Change 'LABEL tier=b', 'ENV COLOR=blue', 'EXPOSE 8080', 'WORKDIR /srv'
        Start-Sleep -Milliseconds 1100
        $c = New-TestRootfsImage 'dockerps-test/order-c:1' -Change 'LABEL tier=c'

        @(Get-DockerImage -Label tier=b).Id | Should -Be @($b)
        $before = @(Get-DockerImage -Before dockerps-test/order-b:1 -Label $label).Id
        $before | Should -Contain $a
        $before | Should -Not -Contain $b
        $before | Should -Not -Contain $c
        $since = @(Get-DockerImage -Since dockerps-test/order-b:1 -Label $label).Id
        $since | Should -Contain $c
        $since | Should -Not -Contain $a
        @(Get-DockerImage -Reference 'dockerps-test/order-*').Id | Sort-Object | Should -Be (@($a, $b, $c) | Sort-Object)

        $detailed = @(Get-DockerImage dockerps-test/order-b:1 -Detailed)
        $detailed.Count | Should -Be 1
        $detailed[0].HasDetails | Should -BeTrue
        $detailed[0].Env | Should -Contain 'COLOR=blue'
        $detailed[0].ExposedPorts | Should -Be @('8080/tcp')
        $detailed[0].WorkingDir | Should -Be '/srv'
        @($detailed[0].Layers).Count | Should -Be 1
        $detailed[0].Os | Should -Be 'linux'
        (Get-DockerImage dockerps-test/order-b:1).HasDetails | Should -BeFalse

        $record = { Get-DockerImage -Before dockerps-test/no-such:1 } | Should -Throw -ErrorId 'ImageNotFound,*' -PassThru
        $record | Get-TestErrorId | Should -BeExactly ImageNotFound
        $record.CategoryInfo.Category | Should -Be ObjectNotFound

        # All images of one repository, piped to removal.
        $null = New-TestRootfsImage 'dockerps-test/order-a:2'
        Get-DockerImage dockerps-test/order-a | Remove-DockerImage -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-DockerImage 'dockerps-test/order-a*' | Should -BeNullOrEmpty
        Test-DockerImage 'dockerps-test/order-a:1' | Should -BeFalse
        Test-DockerImage 'dockerps-test/order-a:2' | Should -BeFalse
        Test-DockerImage 'dockerps-test/order-b:1' | Should -BeTrue
    }

    It 'lists the same rows as docker image ls, one object per reference, with every tag kept' {
        $shared = New-TestSharedImage rows
        $repository = Get-TestRepository rows-mine
        $all = @($shared.Mine + $shared.Others) | Sort-Object
        $cli = @(Invoke-DockerCli image ls $repository --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}') | Sort-Object
        $cli.Count | Should -Be 2

        foreach ($rows in @(Get-DockerImage $repository), @(Get-DockerImage -Reference $repository)) {
            @($rows | ForEach-Object { "$($_.Repository):$($_.Tag) $($_.Id)" }) | Sort-Object | Should -Be $cli
            foreach ($row in $rows) {
                $row.Reference | Should -Be "$($row.Repository):$($row.Tag)"
                $row.RepoTags | Sort-Object | Should -Be $all
            }
        }

        # The whole list: one row per reference here too.
        @(Get-DockerImage | Where-Object Id -EQ $shared.Id).Reference | Sort-Object | Should -Be $all
    }

    It 'shows both tags of an image tagged ps and ps2, in the objects and the table' {
        $repository = Get-TestRepository acc
        $id = New-TestRootfsImage "${repository}:ps"
        $null = Invoke-DockerCli tag "${repository}:ps" "${repository}:ps2"

        $rows = @(Get-DockerImage $repository)
        $rows.Tag | Sort-Object -CaseSensitive | Should -Be @('ps', 'ps2')
        foreach ($row in $rows) { $row.Id | Should -Be $id }
        $ps2 = @(Get-DockerImage "${repository}:ps2")
        $ps2.Count | Should -Be 1
        $ps2[0].Tag | Should -Be 'ps2'

        $lines = @((Get-DockerImage $repository | Out-String -Width 200) -split "`n" | Where-Object { $_.StartsWith($repository) })
        $lines.Count | Should -Be 2
        $short = $id.Substring(7, 12)
        @($lines -match "^$([regex]::Escape($repository))\s+ps2\s+$short").Count | Should -Be 1
        @($lines -match "^$([regex]::Escape($repository))\s+ps\s+$short").Count | Should -Be 1
    }

    It 'gives Containers as the engine counts them, never a -1 placeholder' {
        $reference = "$(Get-TestRepository count):1"
        $id = New-TestRootfsImage $reference
        (Get-DockerImage $reference).Containers | Should -Be 0
        foreach ($i in 1..2) {
            $null = Invoke-DockerCli create --name (New-TestName count) --label $label $reference true
        }

        $after = @(Get-DockerImage $reference)
        $after.Count | Should -Be 1
        $after[0].Containers | Should -Be 2
        $df = Invoke-RestMethod -UnixSocket /var/run/docker.sock -Uri 'http://docker/system/df'
        $after[0].Containers | Should -Be (@($df.Images | Where-Object Id -EQ $id)[0].Containers)
        $detailed = @(Get-DockerImage $reference -Detailed)
        $detailed.Count | Should -Be 1
        $detailed[0].Containers | Should -Be 2
        $detailed[0].Reference | Should -Be $reference

        # No number on any image object is a -1 placeholder, and no table shows one.
        $images = @(Get-DockerImage)
        foreach ($image in $images) {
            foreach ($property in $image.PSObject.Properties) {
                $value = try { $property.Value } catch { $null }
                if ($value -is [int] -or $value -is [long]) {
                    $value | Should -Not -Be -1 -Because "$($property.Name) of $($image.Reference) is a number"
                }
            }
        }
        $images | Out-String -Width 200 | Should -Not -Match ' -1'
    }
}

Describe 'Remove-DockerImage' {
    It 'removes only the piped repository''s tags; the other repositories keep the image' {
        $shared = New-TestSharedImage pipe
        $mine = Get-TestRepository pipe-mine

        $removed = @(Get-DockerImage -Name "$mine*" | Remove-DockerImage -Force -Confirm:$false -Verbose -ErrorVariable err 4>&1)

        $err | Should -BeNullOrEmpty
        # The verbose report is the engine's own: what it untagged, and that it deleted nothing.
        $report = @($removed | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
            Where-Object { $_.StartsWith('Untagged: ') -or $_.StartsWith('Deleted: ') }) | Sort-Object
        $report | Should -Be (@($shared.Mine | ForEach-Object { "Untagged: $_" }) | Sort-Object)
        foreach ($reference in $shared.Mine) { Test-DockerImage $reference | Should -BeFalse -Because "$reference was untagged" }
        Test-DockerImage $shared.Id | Should -BeTrue -Because 'the image stays while other repositories name it'
        Get-TestRepoTag $shared.Id | Should -Be ($shared.Others | Sort-Object)
    }

    It 'refuses an id of an image with several tags without -Force, naming the tags, and -Force removes it all' {
        $shared = New-TestSharedImage byid
        $all = @($shared.Mine + $shared.Others) | Sort-Object
        $id = $shared.Id

        Remove-DockerImage -Id $id.Substring(7, 12) -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

        $record = Assert-TestError $err -Id ImageHasSeveralReferences -Category InvalidOperation -Target $id
        foreach ($tag in $all) { $record.Exception.Message | Should -Match ([regex]::Escape($tag)) }
        $record.Exception.Message | Should -Match '-Force'
        Get-TestRepoTag $id | Should -Be $all

        Remove-DockerImage -Id $id -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Test-DockerImage $id | Should -BeFalse -Because '-Force by id removes the image, as docker rmi -f does'
        foreach ($tag in $all) { Test-DockerImage $tag | Should -BeFalse }
    }

    It 'refuses, without -Force, a piped untagged image that has since been tagged twice' {
        # Importing again under the same tag leaves the first image untagged.
        $source = "$(Get-TestRepository untagged-src):1"
        $id = New-TestRootfsImage $source
        $null = New-TestRootfsImage $source
        $untagged = @(Get-DockerImage -Id $id)
        $untagged.Count | Should -Be 1
        $untagged[0].Reference | Should -BeNullOrEmpty
        $untagged[0].Tag | Should -Be '<none>'
        $tags = @("$(Get-TestRepository untagged-a):1", "$(Get-TestRepository untagged-b):1")
        foreach ($tag in $tags) { $null = Invoke-DockerCli tag $id $tag }

        $untagged[0] | Remove-DockerImage -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

        @($err | Get-TestErrorId) | Should -Be @('ImageHasSeveralReferences')
        foreach ($tag in $tags) { $err[0].Exception.Message | Should -Match ([regex]::Escape($tag)) }
        Get-TestRepoTag $id | Should -Be ($tags | Sort-Object)
    }

    It '-WhatIf names each reference it would untag and each image it would delete, and touches nothing' {
        $shared = New-TestSharedImage whatif
        $mine = Get-TestRepository whatif-mine
        $single = "$(Get-TestRepository whatif-single):1"
        $singleId = New-TestRootfsImage $single
        $id = $shared.Id

        $result = Invoke-TestWithHost {
            Get-DockerImage -Name "$mine*" | Remove-DockerImage -WhatIf
            Remove-DockerImage -Name $single -WhatIf
            Remove-DockerImage -Id $id -Force -WhatIf
        }

        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -BeNullOrEmpty
        foreach ($reference in $shared.Mine) {
            $result.Host | Should -Match ([regex]::Escape("Performing the operation `"Untag`" on target `"$reference`""))
        }
        $result.Host | Should -Match ([regex]::Escape("Performing the operation `"Untag, then delete image $($singleId.Substring(7, 12)) (no reference left)`" on target `"$single`""))
        $result.Host | Should -Match ([regex]::Escape("Performing the operation `"Delete image`" on target `"$($id.Substring(7, 12)) (tags: "))
        foreach ($reference in $shared.Others) {
            $result.Host | Should -Not -Match ([regex]::Escape("on target `"$reference`""))
        }
        Get-TestRepoTag $id | Should -Be (@($shared.Mine + $shared.Others) | Sort-Object)
        Test-DockerImage $single | Should -BeTrue
    }

    It 'leaves alone a piped reference that now names another image' {
        $reference = "$(Get-TestRepository moved):1"
        $first = New-TestRootfsImage $reference
        $null = Invoke-DockerCli tag $reference "$(Get-TestRepository moved-keep):1"
        $image = Get-DockerImage $reference
        $second = New-TestRootfsImage $reference

        $image | Remove-DockerImage -Force -ErrorVariable err -ErrorAction SilentlyContinue

        @($err | Get-TestErrorId) | Should -Be @('ImageReferenceMoved')
        Get-TestImageId $reference | Should -Be $second
        Test-DockerImage $first | Should -BeTrue
    }
}

Describe 'Image consumers' {
    It 'act on the reference a piped object stands for' {
        $shared = New-TestSharedImage consumers
        $mine = Get-TestRepository consumers-mine
        $archive = New-TestPath refs.tar

        # Save: exactly the references piped, all of them, in one archive.
        Get-DockerImage -Name "$mine*" | Save-DockerImage -Path $archive -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $manifest = (& tar -xOf $archive manifest.json) -join "`n" | ConvertFrom-Json
        @($manifest | ForEach-Object { $_.RepoTags } | Where-Object { $_ }) | Sort-Object | Should -Be ($shared.Mine | Sort-Object)

        # History: one image, however many of its references are piped.
        $history = @(Get-DockerImage -Name "$mine*" | Get-DockerImageHistory -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $history.Count | Should -Be @(Invoke-DockerCli history -q $shared.Id).Count

        # A container made from a piped object names the reference it stood for.
        $name = New-TestName fromref
        $second = $shared.Mine[1]
        $null = Get-DockerImage $second | New-DockerContainer -Name $name -Label $label -Command true -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli container inspect --format '{{.Config.Image}}' $name | Should -Be $second

        # Tag -PassThru stands for the new tag; the archive loads back as one object per reference.
        $added = "$(Get-TestRepository consumers-added):1"
        $tagged = @(Get-DockerImage $second | Add-DockerImageTag -Target $added -PassThru)
        $tagged.Count | Should -Be 1
        $tagged[0].Reference | Should -Be $added
        Get-TestImageId $added | Should -Be $shared.Id
        $loaded = @(Import-DockerImage -Path $archive -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $loaded.Reference | Sort-Object | Should -Be ($shared.Mine | Sort-Object)
    }
}

Describe 'Clear-DockerImage' {
    It '-WhatIf lists what would go with the bytes, then the prune removes exactly that' {
        # Re-importing under the same tag leaves the older images dangling, as a rebuild does.
        $first = New-TestRootfsImage 'dockerps-test/prune:1' -ExtraBytes 300000
        $second = New-TestRootfsImage 'dockerps-test/prune:1' -ExtraBytes 200000
        $null = New-TestRootfsImage 'dockerps-test/prune:1'
        # A dangling image a container still uses must never be pruned.
        $used = New-TestRootfsImage 'dockerps-test/prune-used:1'
        $null = Invoke-DockerCli create --name (New-TestName pruneuser) --label $label 'dockerps-test/prune-used:1' true
        $null = New-TestRootfsImage 'dockerps-test/prune-used:1'

        $preview = Invoke-TestWithHost { Clear-DockerImage -Label $label -WhatIf }

        $preview.Errors | Should -BeNullOrEmpty
        $preview.Output | Should -BeNullOrEmpty
        $preview.Host | Should -Match ([regex]::Escape('on target "<none>:<none>'))
        $preview.Host | Should -Match $first.Substring(7, 12)
        $preview.Host | Should -Match $second.Substring(7, 12)
        $preview.Host | Should -Not -Match $used.Substring(7, 12)
        $total = [regex]::Match($preview.Host, '(\d+) dangling images on .*, freeing .* \(([\d,]+) bytes\)')
        $total.Success | Should -BeTrue -Because $preview.Host
        $count = [int]$total.Groups[1].Value
        $previewBytes = [long]($total.Groups[2].Value -replace ',')
        Test-DockerImage $first | Should -BeTrue -Because '-WhatIf removed nothing'

        $report = @(Clear-DockerImage -Label $label -Force -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $report.Count | Should -Be 1
        $report[0] | Should -BeOfType DockerPS.DockerPruneResult
        $report[0].Deleted | Should -Contain $first
        $report[0].Deleted | Should -Contain $second
        $report[0].Deleted | Should -Not -Contain $used
        @($report[0].Deleted).Count | Should -Be $count
        $report[0].SpaceReclaimed | Should -Be $previewBytes
        $report[0].SpaceReclaimed | Should -BeGreaterThan 500000
        Test-DockerImage $first | Should -BeFalse
        Test-DockerImage $second | Should -BeFalse
        Test-DockerImage $used | Should -BeTrue -Because 'the image a container uses stayed'
    }

    It '-Until takes dates and durations, and rejects nonsense' {
        $old = @(Clear-DockerImage -All -Label $label -Until ([TimeSpan]::FromDays(3650)) -Force -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $old.Count | Should -Be 1
        $old[0].Deleted | Should -BeNullOrEmpty
        $null = Clear-DockerImage -Label $label -Until '24h' -WhatIf -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $null = Clear-DockerImage -Label $label -Until ([datetime]'2001-01-01') -WhatIf -ErrorVariable err
        $err | Should -BeNullOrEmpty

        $record = { Clear-DockerImage -Until 'whenever' -Force } | Should -Throw -ErrorId 'InvalidFilter,*' -PassThru
        $record | Get-TestErrorId | Should -BeExactly InvalidFilter
        $record.CategoryInfo.Category | Should -Be InvalidArgument
        $record.Exception.Message | Should -Match 'whenever'
    }
}

Describe 'ConvertTo-DockerImage and Get-DockerImageHistory' {
    It 'commits a piped container with author, message and changes, and the history shows the new layer' {
        $name = New-TestName commit
        $null = Invoke-DockerCli run -d --name $name --label $label $base sleep 300
        $null = Invoke-DockerCli exec $name sh -c 'echo committed > /hello'

        $image = @(Get-DockerContainer -Name $name | ConvertTo-DockerImage -Repository dockerps-test/committed -Tag v1 -Author 'Tester <t@example.com>' -Message 'add hello' -Change "LABEL $label", 'ENV GREETING=hi', 'CMD ["cat", "/hello"]' -ErrorVariable err)

        $err | Should -BeNullOrEmpty
        $image.Count | Should -Be 1
        $image[0].RepoTags | Should -Be @('dockerps-test/committed:v1')
        $image[0].Id | Should -Be (Get-TestImageId dockerps-test/committed:v1)
        $image[0].Author | Should -Be 'Tester <t@example.com>'
        $image[0].Comment | Should -Be 'add hello'
        $image[0].Env | Should -Contain 'GREETING=hi'
        $image[0].Cmd | Should -Be @('cat', '/hello')
        Invoke-DockerCli run --rm --label $label dockerps-test/committed:v1 | Should -Be 'committed'
        Invoke-DockerCli image inspect --format '{{.Author}}|{{.Comment}}' dockerps-test/committed:v1 | Should -Be 'Tester <t@example.com>|add hello'

        $layers = @(Get-DockerImageHistory dockerps-test/committed:v1 -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $layers.Count | Should -Be 2
        $layers.Count | Should -Be @(Invoke-DockerCli history -q dockerps-test/committed:v1).Count
        $layers[0].Comment | Should -Be 'add hello'
        $layers[0].Id | Should -Be $image[0].Id
        $layers[0].Tags | Should -Contain 'dockerps-test/committed:v1'
        $layers[0].Index | Should -Be 0
        $layers[1].Size | Should -BeGreaterThan 500000 -Because 'the busybox layer'

        $null = ConvertTo-DockerImage -Container dockerps-test-no-such-container -Repository x/y -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound')
    }
}

Describe 'Build-DockerImage' {
    BeforeEach {
        $imagesBefore = Get-TestAllImageId
    }

    AfterEach {
        # What the builder left (intermediate images are children of the base image) goes too.
        Remove-TestNewImage $imagesBefore
    }

    It 'builds with COPY, RUN, ENV, ARG, CMD and LABEL, honours .dockerignore, and returns the image' {
        $context = New-TestPath ctx
        $null = New-Item -ItemType Directory -Path (Join-Path $context app)
        Set-Content -LiteralPath (Join-Path $context Dockerfile) -NoNewline -Value ((
                "FROM $base",
                'ARG V=1',
                'ENV GREETING=hello',
                'LABEL stage=test',
                'COPY app/ /app/',
                'RUN echo "version $V" > /app/version && ls /app > /app/listing',
                'CMD ["cat", "/app/version"]',
                '') -join "`n")
        Set-Content -LiteralPath (Join-Path $context app/main.sh) -NoNewline -Value "echo main`n"
        Set-Content -LiteralPath (Join-Path $context app/notes.md) -NoNewline -Value "kept out`n"
        $big = [System.IO.File]::Create((Join-Path $context app/big.bin))
        try { $big.SetLength(64MB) } finally { $big.Dispose() }
        Set-Content -LiteralPath (Join-Path $context .dockerignore) -NoNewline -Value "# keep the big file and notes out`napp/big.bin`n**/*.md`n"

        $built = @(Build-DockerImage -Path $context -Tag dockerps-test/built:1 -BuildArg @{ V = '2' } -Label (Get-TestLabelTable) -Verbose -ErrorVariable err 4>&1)

        $err | Should -BeNullOrEmpty
        $image = @($built | Where-Object { $_ -is [DockerPS.DockerImage] })
        $image.Count | Should -Be 1
        $image[0].RepoTags | Should -Be @('dockerps-test/built:1')
        $image[0].Id | Should -Be (Get-TestImageId dockerps-test/built:1)
        $image[0].Env | Should -Contain 'GREETING=hello'
        $image[0].Labels['stage'] | Should -Be 'test'
        $image[0].Cmd | Should -Be @('cat', '/app/version')
        Invoke-DockerCli run --rm --label $label dockerps-test/built:1 | Should -Be 'version 2'
        Invoke-DockerCli run --rm --label $label dockerps-test/built:1 cat /app/listing | Should -Be @('listing', 'main.sh', 'version')
        (Get-DockerCliResult run --rm --label $label dockerps-test/built:1 test -e /app/notes.md).ExitCode | Should -Not -Be 0

        # The context the engine received was small: the 64 MiB file stayed out.
        $sending = @($built | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
            Where-Object { $_.StartsWith('Sending build context') })
        $sending.Count | Should -Be 1
        $size = [regex]::Match($sending[0], '\(([\d,]+) bytes\)')
        $size.Success | Should -BeTrue -Because $sending[0]
        [long]($size.Groups[1].Value -replace ',') | Should -BeGreaterOrEqual 1024
        [long]($size.Groups[1].Value -replace ',') | Should -BeLessOrEqual (64KB)

        # The steps come as information records, and as the status of a progress bar.
        $second = Invoke-TestPipeline -Variable @{ ctx = $context } -Script @'
Build-DockerImage -Path $ctx -Tag dockerps-test/built:2 -InformationVariable info | Out-Null
$info | ForEach-Object { "$($_.MessageData)" }
'@
        $second.Errors | Should -BeNullOrEmpty
        @($second.Output -like 'Step 1/7 : FROM*').Count | Should -Be 1
        @($second.Output -like 'Step 6/7 : RUN*').Count | Should -Be 1
        @($second.Progress | Where-Object { $_.Activity -eq 'Building dockerps-test/built:2' -and $_.StatusDescription.StartsWith('Step ') }) | Should -Not -BeNullOrEmpty
        Test-DockerImage dockerps-test/built:2 | Should -BeTrue
    }

    It 'ends a failing RUN with an error naming the step, and makes no image' {
        $context = New-TestPath failctx
        $null = New-Item -ItemType Directory -Path $context
        Set-Content -LiteralPath (Join-Path $context Dockerfile) -NoNewline -Value "FROM $base`nRUN echo fine`nRUN sh -c 'echo broken >&2; exit 3'`nRUN echo never`n"

        $output = [System.Collections.Generic.List[object]]::new()
        $record = { Build-DockerImage -Path $context -Tag dockerps-test/broken:1 -Label (Get-TestLabelTable) | ForEach-Object { $output.Add($_) } } |
            Should -Throw -ErrorId 'ImageBuildFailed,*' -PassThru

        $output | Should -BeNullOrEmpty
        $record | Get-TestErrorId | Should -BeExactly ImageBuildFailed
        $record.Exception.Message | Should -Match ([regex]::Escape("Step 3/5 : RUN sh -c 'echo broken >&2; exit 3'"))
        $record.Exception.Message | Should -Match 'returned a non-zero code: 3'
        Test-DockerImage dockerps-test/broken:1 | Should -BeFalse

        $record = { Build-DockerImage -Path /tmp/dockerps-no-such-context } | Should -Throw -ErrorId 'BuildContextNotFound,*' -PassThru
        $record | Get-TestErrorId | Should -BeExactly BuildContextNotFound
        $record.CategoryInfo.Category | Should -Be ObjectNotFound
        $record = { Build-DockerImage -Path $context -Dockerfile Nope.Dockerfile } | Should -Throw -ErrorId 'BuildContextNotFound,*' -PassThru
        $record | Get-TestErrorId | Should -BeExactly BuildContextNotFound
    }
}

Describe 'What the image tests leave' {
    It 'is no child of the base image' {
        # A child of the base image left behind keeps the base image through other tests' removals.
        Remove-TestResource
        @(Get-TestBaseImageChild | Where-Object { $_ -notin $childrenBefore }) | Should -BeNullOrEmpty
    }
}
