# What the stream and file cmdlets hand back matches what the engine and the docker CLI hold, in real pwsh: long log
# lines whole, log times to the nanosecond, file owners and link times as docker cp keeps them, Dockerfiles found as
# docker build finds them, unused build arguments as warnings, and a broken engine connection told as such, with
# nothing left behind.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Engine.Support.ps1')
    $label = Get-TestLabel
    $base = Get-TestBaseImage

    <# An engine time ("2026-01-02T03:04:05.123456789Z") as Unix seconds with nine digits, moved by some nanoseconds. #>
    function ConvertTo-UnixText([string] $Stamp, [long] $NanosecondsLater = 0) {
        $dot = $Stamp.IndexOf('.')
        [long] $seconds = [DateTimeOffset]::Parse($Stamp.Substring(0, $dot) + 'Z', [cultureinfo]::InvariantCulture).ToUnixTimeSeconds()
        [long] $nanos = [long]::Parse($Stamp.Substring($dot + 1, $Stamp.Length - $dot - 2).PadRight(9, '0'), [cultureinfo]::InvariantCulture) + $NanosecondsLater
        if ($nanos -lt 0) {
            $seconds--
            $nanos += 1000000000
        }
        '{0}.{1:D9}' -f ($seconds + [Math]::DivRem($nanos, [long]1000000000).Item1), ($nanos % 1000000000)
    }

}

AfterAll {
    Remove-TestResource
}

Describe 'Get-DockerContainerLog' {
    It 'gives a line longer than 16 KiB back whole, as docker logs prints it' {
        $name = Invoke-TestContainerToEnd 'longline' sh, -c, "head -c 40000 /dev/zero | tr '\0' x; echo; echo short"
        $cli = @(Invoke-DockerCli logs $name)
        $cli | ForEach-Object Length | Should -Be @(40000, 5)

        # The engine itself stores the long line as partial messages, each with its own time.
        $cliStamped = @(Invoke-DockerCli logs -t $name)
        $cliStamped[0].Length | Should -BeGreaterThan 40031 -Because 'the engine splits long lines'
        $firstStamp = $cliStamped[0].Split(' ')[0]
        $secondStamp = $cliStamped[1].Split(' ')[0]

        $entries = @(Get-DockerContainerLog $name -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $entries | ForEach-Object { $_ | Should -BeOfType DockerPS.DockerContainerLogEntry }
        $entries.Message | Should -BeExactly $cli

        $stamped = @(Get-DockerContainerLog $name -Timestamps -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $stamped.Message | Should -BeExactly $cli
        $stamped | ForEach-Object { "$_".Split(' ')[0] } | Should -BeExactly @($firstStamp, $secondStamp)

        $raw = @(Get-DockerContainerLog $name -Raw -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $raw | ForEach-Object { $_ | Should -BeOfType string }
        $raw | Should -BeExactly $cli

        $rawStamped = @(Get-DockerContainerLog $name -Raw -Timestamps -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $rawStamped | Should -BeExactly @("$firstStamp $($cli[0])", "$secondStamp $($cli[1])")
    }

    Context 'with -Since and -Until' {
        BeforeAll {
            $name = Invoke-TestContainerToEnd 'logtimes' sh, -c, 'echo one; sleep 1; echo two; sleep 1; echo three'
            $stamps = @(Invoke-DockerCli logs -t $name | ForEach-Object { $_.Split(' ')[0] })
            $stamps.Count | Should -Be 3
            $twoStamp = $stamps[1]
            $twoUnix = ConvertTo-UnixText $twoStamp
            $justBeforeTwo = ConvertTo-UnixText $twoStamp -NanosecondsLater -1
            $justAfterTwo = ConvertTo-UnixText $twoStamp -NanosecondsLater 1
        }

        It 'keeps nanoseconds and takes Unix seconds, as docker logs does: <Case>' -ForEach @(
            # A time copied from -Timestamps output takes its own line in, as the CLI does.
            @{ Case = '-Until a -Timestamps time'; Until = { $twoStamp }; Expected = 'one', 'two' }
            @{ Case = '-Since a -Timestamps time'; Since = { $twoStamp }; Expected = 'two', 'three' }
            @{ Case = '-Until Unix seconds'; Until = { $twoUnix }; Expected = 'one', 'two' }
            @{ Case = '-Until a nanosecond before'; Until = { $justBeforeTwo }; Expected = @('one') }
            @{ Case = '-Since a nanosecond after'; Since = { $justAfterTwo }; Expected = @('three') }
            @{ Case = '-Since and -Until the same Unix seconds'; Since = { $twoUnix }; Until = { $twoUnix }; Expected = @('two') }
        ) {
            $cliArgs = @()
            $parameters = @{}
            if ($Since) { $cliArgs += '--since', (& $Since); $parameters.Since = "$(& $Since)" }
            if ($Until) { $cliArgs += '--until', (& $Until); $parameters.Until = "$(& $Until)" }
            @(Invoke-DockerCli logs @cliArgs $name) | Should -BeExactly $Expected
            @(Get-DockerContainerLog $name -Raw @parameters -ErrorVariable err) | Should -BeExactly $Expected
            $err | Should -BeNullOrEmpty
        }

        It 'takes unquoted Unix seconds, which are numbers to PowerShell, as docker logs does' {
            @(Get-DockerContainerLog $name -Raw -Since 1700000000).Count | Should -Be 3
            @(Invoke-DockerCli logs --since 1700000000 $name).Count | Should -Be 3
            @(Get-DockerContainerLog $name -Raw -Until 1700000000.123456789) | Should -BeNullOrEmpty
            @(Invoke-DockerCli logs --until 1700000000.123456789 $name | Where-Object { $_ }) | Should -BeNullOrEmpty
        }

        It 'stops on 7d unquoted, which PowerShell reads as the number 7, and says to quote it' {
            # Unquoted, 7d is the number 7 to PowerShell: the command stops and says to quote it.
            $thrown = { Get-DockerContainerLog $name -Since 7d } | Should -Throw -PassThru
            $record = Assert-TestError $thrown -Id InvalidTimeArgument -Category InvalidArgument -Target 7
            $record.Exception.Message | Should -Match ([regex]::Escape("-Since '7d'"))
            { Get-DockerContainerLog $name -Since '7d' -ErrorAction Stop } | Should -Not -Throw
        }
    }
}

Describe 'When the engine connection breaks' {
    BeforeAll {
        # Bigger than the 8 MiB after which the proxy cuts the connection.
        $bigImage = "dockerps-test/cut-$(Get-TestRunId):latest"
        $null = New-TestRootfsImage -Reference $bigImage -ExtraBytes 32MB
    }

    AfterAll {
        $null = Invoke-DockerCli ps -aq --filter "ancestor=$bigImage" | ForEach-Object { Get-DockerCliResult rm -f $_ }
        $null = Get-DockerCliResult rmi -f $bigImage
    }

    It '<Verb> says the engine broke, and leaves no file' -ForEach @(
        @{ Verb = 'Save-DockerImage' }
        @{ Verb = 'Export-DockerContainer' }
    ) {
        $folder = New-TestFolder 'broken'
        $archive = Join-Path $folder 'out.tar'
        $name = New-TestName 'cut'
        if ($Verb -eq 'Export-DockerContainer') {
            $null = Invoke-DockerCli create --name $name --label $label $bigImage
        }

        $proxy = [DockerPSTest.CuttingProxy]::new((Join-Path $folder 'engine.sock'), 8MB)
        try {
            # A terminating error: the stream the command was writing is gone.
            $record = if ($Verb -eq 'Save-DockerImage') {
                { Save-DockerImage -Name $bigImage -Path $archive -DockerHost $proxy.Uri } | Should -Throw -PassThru
            }
            else {
                { Export-DockerContainer -Name $name -Path $archive -DockerHost $proxy.Uri } | Should -Throw -PassThru
            }
            $proxy.Cut | Should -BeTrue -Because 'the proxy cut the stream'
        }
        finally {
            $proxy.Dispose()
        }

        $null = Assert-TestError $record -Id EngineConnectionBroken -Category ReadError -AnyTarget
        $record.Exception.Message | Should -Match 'closed the connection after'
        $record.Exception.Message | Should -Match 'the partial file was removed'
        $archive | Should -Not -Exist
        @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 0 -Because 'the proxy''s socket is gone too, and nothing else was left'
    }

    Context 'during Backup-DockerVolume' {
        BeforeAll {
            $volume = New-TestVolume 'cutvol'
            $null = Invoke-TestVolumeScript $volume 'head -c 25000000 /dev/urandom > /data/big'
        }

        AfterAll {
            # The helper the engine "died" before removing carries no run label: take it away if a test failed.
            $helpers = @(Get-TestVolumeHelper $volume)
            if ($helpers) { $null = Get-DockerCliResult rm -f @helpers }
        }

        It 'says so, and the next backup removes the helper left behind' {
            $folder = New-TestFolder 'broken'
            $archive = Join-Path $folder 'backup.tar'
            $proxy = [DockerPSTest.CuttingProxy]::new((Join-Path $folder 'engine.sock'), 8MB)
            try {
                $thrown = $null
                try {
                    Backup-DockerVolume -Name $volume -Path $archive -DockerHost $proxy.Uri -WarningVariable warned -WarningAction SilentlyContinue
                }
                catch {
                    $thrown = $_
                }
                $proxy.Cut | Should -BeTrue -Because 'the proxy cut the stream'
            }
            finally {
                $proxy.Dispose()
            }
            $null = Assert-TestError $thrown -Id EngineConnectionBroken -Category ReadError -AnyTarget
            @($warned | Where-Object { "$_" -match 'helper container' }).Count | Should -BeGreaterThan 0
            $archive | Should -Not -Exist
            @(Get-ChildItem -LiteralPath $folder -Force).Count | Should -Be 0

            # The engine "died" before the helper could go: it stays, never started, found by its label.
            $leftover = Invoke-DockerCli ps -a --filter "label=dockerps.helper.volume=$volume" --format '{{.Names}} {{.Status}}'
            $leftover | Should -Match '^dockerps-volume-helper-\w+ Created$'
            $preview = Invoke-TestWithHost { Clear-DockerContainer -Label "dockerps.helper.volume=$volume" -WhatIf }
            $preview.Errors | Should -BeNullOrEmpty
            $preview.Host | Should -Match ([regex]::Escape($leftover.Split(' ')[0]))
            Invoke-DockerCli ps -a --filter "label=dockerps.helper.volume=$volume" --format '{{.Names}}' | Should -BeExactly $leftover.Split(' ')[0] -Because '-WhatIf removed nothing'

            Backup-DockerVolume -Name $volume -Path $archive -ErrorAction Stop
            (Get-Item -LiteralPath $archive).Length | Should -BeGreaterThan 25000000
            Invoke-DockerCli ps -a --filter "label=dockerps.helper.volume=$volume" --format '{{.Names}}' | Should -BeNullOrEmpty
        }
    }
}

Describe 'Copy-DockerContainerItem' {
    It 'keeps each file''s owner when it copies into a container, as docker cp does' {
        $tree = New-TestFolder 'owned'
        $null = New-Item -ItemType Directory -Path (Join-Path $tree 'sub')
        Set-Content -LiteralPath (Join-Path $tree 'sub/file.txt') -Value 'hello' -NoNewline
        & ln -s file.txt (Join-Path $tree 'sub/link')
        & chown -R 1234:2345 $tree
        & chown -h 3456:4567 (Join-Path $tree 'sub/link')
        & chown 4321:5432 (Join-Path $tree 'sub/file.txt')
        $LASTEXITCODE | Should -Be 0

        $byCli = New-TestName 'cpcli'
        $byModule = New-TestName 'cpmod'
        $null = Invoke-DockerCli create --name $byCli --label $label $base
        $null = Invoke-DockerCli create --name $byModule --label $label $base
        $null = Invoke-DockerCli cp $tree "${byCli}:/tmp/tree"
        Copy-DockerContainerItem -Container $byModule -Path $tree -Destination /tmp/tree -ToContainer -ErrorAction Stop

        # Numeric owner of every entry below /tmp/tree, as the engine's export of the container shows it.
        function Get-Owner([string] $Container) {
            $tar = New-TestPath 'owners.tar'
            $null = Invoke-DockerCli export -o $tar $Container
            & tar --numeric-owner -tvf $tar | ForEach-Object {
                $fields = -split $_
                if ($fields.Count -ge 6 -and $fields[5].StartsWith('tmp/tree')) { "$($fields[5]) $($fields[1])" }
            } | Sort-Object
        }
        $cli = @(Get-Owner $byCli)
        $cli | Should -Contain 'tmp/tree/sub/ 1234/2345'
        $cli | Should -Contain 'tmp/tree/sub/file.txt 4321/5432'
        $cli | Should -Contain 'tmp/tree/sub/link 3456/4567'
        Get-Owner $byModule | Should -BeExactly $cli
    }

    It 'gives symbolic links their own time when it copies out of a container, as docker cp does' {
        $name = New-TestName 'linktime'
        $null = Invoke-DockerCli run --name $name --label $label $base sh -c "mkdir /src && echo x > /src/target && touch -d '2020-02-03 04:05:06' /src/target && ln -s target /src/link && touch -h -d '2021-03-04 05:06:07' /src/link"
        $byCli = New-TestPath 'cli'
        $byModule = New-TestPath 'mod'
        $null = Invoke-DockerCli cp "${name}:/src" $byCli
        Copy-DockerContainerItem -Container $name -Path /src -Destination $byModule -ErrorAction Stop

        function Get-LinkTime([string] $Folder) { & stat -c '%Y' (Join-Path $Folder 'link') }
        function Get-TargetTime([string] $Folder) { & stat -L -c '%Y' (Join-Path $Folder 'link') }
        Get-LinkTime $byCli | Should -BeExactly "$([DateTimeOffset]::Parse('2021-03-04T05:06:07Z', [cultureinfo]::InvariantCulture).ToUnixTimeSeconds())"
        Get-LinkTime $byModule | Should -BeExactly (Get-LinkTime $byCli)
        Get-TargetTime $byModule | Should -BeExactly (Get-TargetTime $byCli)
        (Get-Item -LiteralPath (Join-Path $byModule 'link')).LinkTarget | Should -BeExactly 'target'
    }
}

Describe 'Build-DockerImage' {
    BeforeAll {
        # Images a test builds, removed when it ends, so that they never count in other tests' image lists.
        function Remove-TestTag([string[]] $Tag) { $null = Get-DockerCliResult rmi -f @Tag }
    }

    It 'reads a relative -Dockerfile from PowerShell''s location, and takes one outside the context, as docker build -f does' {
        $top = New-TestFolder 'dfroot'
        $context = (New-Item -ItemType Directory -Path (Join-Path $top 'ctx')).FullName
        $elsewhere = (New-Item -ItemType Directory -Path (Join-Path $top 'elsewhere')).FullName
        Set-Content -LiteralPath (Join-Path $context 'app.txt') -Value "app`n" -NoNewline
        Set-Content -LiteralPath (Join-Path $context 'Dockerfile') -Value "FROM $base`nRUN echo the context one > /which`n" -NoNewline
        Set-Content -LiteralPath (Join-Path $elsewhere 'Build.Dockerfile') -Value "FROM $base`nCOPY . /ctx/`nRUN echo the outside one > /which`n" -NoNewline
        $cliTag = "dockerps-trust/outside-cli:$(Get-TestRunId)"
        $moduleTag = "dockerps-trust/outside-mod:$(Get-TestRunId)"
        $insideTag = "dockerps-trust/inside-mod:$(Get-TestRunId)"
        try {
            $cli = & env DOCKER_BUILDKIT=0 docker build -q --label $label -t $cliTag -f (Join-Path $elsewhere 'Build.Dockerfile') $context 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "$cli"

            # PowerShell's location, not the process's folder, is what a relative -Dockerfile is read from.
            Push-Location -LiteralPath $elsewhere
            try {
                $built = @(Build-DockerImage -Path ../ctx -Dockerfile Build.Dockerfile -Tag $moduleTag -Label (Get-TestLabelTable) -ErrorVariable err)
                [Environment]::CurrentDirectory | Should -Not -Be $elsewhere
            }
            finally {
                Pop-Location
            }
            $err | Should -BeNullOrEmpty
            $built.Count | Should -Be 1
            $built[0] | Should -BeOfType DockerPS.DockerImage

            function Get-Which([string] $Tag) { Invoke-DockerCli run --rm --label $label $Tag cat /which }
            function Get-Copied([string] $Tag) { (Invoke-DockerCli run --rm --label $label $Tag ls -a /ctx) -join "`n" }
            Get-Which $cliTag | Should -BeExactly 'the outside one'
            Get-Which $moduleTag | Should -BeExactly (Get-Which $cliTag)
            Get-Copied $cliTag | Should -BeExactly ".`n..`nDockerfile`napp.txt"
            Get-Copied $moduleTag | Should -BeExactly (Get-Copied $cliTag)

            # A relative path that leads into the context is the context's own Dockerfile.
            Push-Location -LiteralPath $top
            try {
                $null = Build-DockerImage -Path ctx -Dockerfile ctx/Dockerfile -Tag $insideTag -Label (Get-TestLabelTable) -ErrorVariable err
                $err | Should -BeNullOrEmpty
                Get-Which $insideTag | Should -BeExactly 'the context one'

                $thrown = { Build-DockerImage -Path ctx -Dockerfile Build.Dockerfile } | Should -Throw -PassThru
            }
            finally {
                Pop-Location
            }
            $record = Assert-TestError $thrown -Id BuildContextNotFound -Category ObjectNotFound -AnyTarget
            $record.Exception.Message | Should -Match ([regex]::Escape((Join-Path $top 'Build.Dockerfile')))
        }
        finally {
            Remove-TestTag $cliTag, $moduleTag, $insideTag
        }
    }

    It 'warns of build arguments the Dockerfile does not use, as docker build does' {
        $context = New-TestFolder 'unusedarg'
        Set-Content -LiteralPath (Join-Path $context 'Dockerfile') -Value "FROM $base`nARG USED`nRUN echo `$USED > /used`n" -NoNewline
        $cliTag = "dockerps-trust/unused-cli:$(Get-TestRunId)"
        $moduleTag = "dockerps-trust/unused-mod:$(Get-TestRunId)"
        try {
            $cli = (& env DOCKER_BUILDKIT=0 docker build -t $cliTag --label $label --build-arg USED=1 --build-arg NOT_USED=2 $context 2>&1) -join "`n"
            $cli | Should -Match ([regex]::Escape('[Warning] One or more build-args [NOT_USED] were not consumed'))

            $built = @(Build-DockerImage -Path $context -Tag $moduleTag -BuildArg @{ USED = '1'; NOT_USED = '2' } -Label (Get-TestLabelTable) -InformationVariable info -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $built.Count | Should -Be 1
            @($warned).Count | Should -Be 1
            "$($warned[0])" | Should -BeExactly 'One or more build-args [NOT_USED] were not consumed'
            $info | ForEach-Object { "$($_.MessageData)" } | Where-Object { $_ -match 'were not consumed' } | Should -BeNullOrEmpty
            @($info).Count | Should -BeGreaterThan 0 -Because 'the build''s own lines are information'
        }
        finally {
            Remove-TestTag $cliTag, $moduleTag
        }
    }
}
