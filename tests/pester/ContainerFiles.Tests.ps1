# Copy-DockerContainerItem (docker cp, both ways) and Export-DockerContainer (docker export) against the real engine,
# with Ctrl+C in the middle of big transfers.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest

    $longName = 'a-folder-name-long-enough-that-its-path-cannot-fit-the-hundred-bytes-of-a-plain-tar-header-field-0123456789'

    # Every entry below the current folder: folders with their mode, links with their target, files with mode and md5.
    $listTree = 'find . | LC_ALL=C sort | while read -r f; do ' +
        'if [ -L "$f" ]; then echo "$f l $(readlink "$f")"; ' +
        'elif [ -d "$f" ]; then echo "$f d $(stat -c %a "$f")"; ' +
        'else echo "$f f $(stat -c %a "$f") $(md5sum < "$f" | cut -d '' '' -f 1)"; fi; done'

    # The same listing of a folder on this machine, by the machine's own tools.
    function Get-LocalTree([string] $Root) {
        $lines = & bash -c "cd `"`$1`" && $listTree" bash $Root
        $LASTEXITCODE | Should -Be 0
        $lines -join "`n"
    }

    function Get-EntryName([string] $Folder) {
        @(Get-ChildItem -Force -LiteralPath $Folder | ForEach-Object Name | Sort-Object)
    }
    # The run's temporary folder, where New-TestPath puts everything.
    $workDir = Split-Path (New-TestPath 'probe')
}

AfterAll {
    Remove-TestResource
}

Describe 'Copy-DockerContainerItem' {
    It 'copies a folder out and into another container, keeping files, links, modes and empty folders' {
        $src = New-TestContainer 'cp-source'
        $null = Invoke-TestExec $src ("mkdir -p /src/tree/sub/deeper /src/tree/empty /src/tree/$longName" +
            ' && head -c 300000 /dev/urandom > /src/tree/sub/deeper/random.bin' +
            " && printf 'hello\n' > /src/tree/hello.txt && chmod 640 /src/tree/hello.txt" +
            " && printf '#!/bin/sh\necho run\n' > /src/tree/sub/run.sh && chmod 755 /src/tree/sub/run.sh" +
            ' && chmod 750 /src/tree/sub && chmod 700 /src/tree/empty' +
            ' && ln -s sub/run.sh /src/tree/link-to-run' +
            " && echo deep > /src/tree/$longName/file-with-a-long-path.txt")
        $expected = Invoke-TestExec $src "cd /src/tree && $listTree"
        $expected | Should -Match "\./link-to-run l sub/run.sh"
        $local = New-TestFolder 'cp-out'

        # Into an existing folder: the folder goes inside it, under its own name (and the console shows progress).
        $copied = Invoke-TestPipeline 'Copy-DockerContainerItem -Container $src -Path /src/tree -Destination $local -PassThru' -Variable @{ src = $src; local = $local }
        $copied.Errors | Should -BeNullOrEmpty
        $copied.Output | Should -HaveCount 1
        $tree = $copied.Output[0]
        $tree | Should -BeOfType [System.IO.DirectoryInfo]
        $tree.FullName | Should -Be (Join-Path $local 'tree')
        Get-LocalTree $tree.FullName | Should -Be $expected
        (Get-Item -LiteralPath (Join-Path $tree.FullName 'link-to-run') -Force).LinkTarget | Should -Be 'sub/run.sh'
        Get-EntryName (Join-Path $tree.FullName 'empty') | Should -BeNullOrEmpty
        Get-EntryName $local | Should -Be @('tree')
        $copied.Progress.Activity | Should -Contain 'Copying from a container'

        # Back into another container, at a path that does not exist yet: the folder takes that name.
        $dst = New-TestContainer 'cp-target'
        $info = Get-DockerContainer -Name $dst | Copy-DockerContainerItem -Path $tree.FullName -Destination /restored -ToContainer -PassThru -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $info | Should -HaveCount 1
        $info | Should -BeOfType [DockerPS.DockerContainerPathInfo]
        $info.Path | Should -Be '/restored'
        $info.IsDirectory | Should -BeTrue
        $info.Container | Should -Be $dst
        Invoke-TestExec $dst "cd /restored && $listTree" | Should -Be $expected
        Invoke-DockerCli exec $dst /restored/link-to-run | Should -Be 'run'

        # A folder's contents ("/.") are poured into an existing folder.
        Copy-DockerContainerItem $dst "$($tree.FullName)/." /tmp -ToContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli exec $dst cat /tmp/hello.txt | Should -Be 'hello'
        Invoke-DockerCli exec $dst /tmp/sub/run.sh | Should -Be 'run'
        $contents = New-TestFolder 'cp-contents'
        Copy-DockerContainerItem $src /src/tree/. $contents -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-Content -Raw -LiteralPath (Join-Path $contents 'hello.txt') | Should -BeExactly "hello`n"
        Join-Path $contents 'sub/deeper' | Should -Exist
        Get-ChildItem -Recurse -Force -Filter '*.partial' -LiteralPath $local | Should -BeNullOrEmpty
    }

    It 'copies a single file both ways: into a folder it keeps its name, to a new path it takes that name, over a file it replaces it' {
        $n = New-TestContainer 'cp-file'
        $null = Invoke-TestExec $n "mkdir -p /data && printf 'first line\nsecond line\n' > /data/notes.txt"
        $local = New-TestFolder 'cp-file'

        Copy-DockerContainerItem $n /data/notes.txt $local -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-Content -Raw -LiteralPath (Join-Path $local 'notes.txt') | Should -BeExactly "first line`nsecond line`n"
        $renamed = Join-Path $local 'renamed.txt'
        $passThru = Copy-DockerContainerItem $n /data/notes.txt $renamed -PassThru -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $passThru | Should -HaveCount 1
        $passThru | Should -BeOfType [System.IO.FileInfo]
        $passThru.FullName | Should -Be $renamed
        Set-Content -NoNewline -LiteralPath $renamed -Value 'old content that is longer than the new one'
        Copy-DockerContainerItem $n /data/notes.txt $renamed -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-Content -Raw -LiteralPath $renamed | Should -BeExactly "first line`nsecond line`n"

        # The other way: into a folder, to a new name, and over an existing file.
        Set-Content -NoNewline -LiteralPath $renamed -Value "from the host`n"
        Copy-DockerContainerItem $n $renamed /tmp -ToContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli exec $n cat /tmp/renamed.txt | Should -Be 'from the host'
        Copy-DockerContainerItem $n $renamed /tmp/other.txt -ToContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli exec $n cat /tmp/other.txt | Should -Be 'from the host'
        Copy-DockerContainerItem $n $renamed /data/notes.txt -ToContainer -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Invoke-DockerCli exec $n cat /data/notes.txt | Should -Be 'from the host'
        Get-EntryName $local | Should -Be @('notes.txt', 'renamed.txt')
    }

    It 'reports each kind of bad input with its own error, and leaves nothing behind' {
        $n = New-TestContainer 'cp-bad'
        $null = Invoke-TestExec $n 'mkdir -p /data/folder && echo x > /data/folder/file'
        $local = New-TestFolder 'cp-bad'
        $file = Join-Path $local 'a-file.txt'
        Set-Content -NoNewline -LiteralPath $file -Value 'keep me'

        Copy-DockerContainerItem $n /data/no-such-thing $local -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerPathNotFound')
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be '/data/no-such-thing'

        $missing = Join-Path $local 'no-such-thing'
        Copy-DockerContainerItem $n $missing /tmp -ToContainer -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('LocalPathNotFound')
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be $missing

        Copy-DockerContainerItem dockerps-test-no-such-container /data $local -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound')
        $err[0].TargetObject | Should -Be 'dockerps-test-no-such-container'

        $thrown = { Copy-DockerContainerItem $n data/folder $local } | Should -Throw -ErrorId 'InvalidContainerPath,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.TargetObject | Should -Be 'data/folder'
        Get-EntryName $local | Should -Be @('a-file.txt')

        Copy-DockerContainerItem $n /data/folder $file -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('CopyDestinationInvalid')
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-Content -Raw -LiteralPath $file | Should -BeExactly 'keep me'

        Copy-DockerContainerItem $n $file /no/such/folder/x -ToContainer -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('CopyDestinationInvalid')
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be "${n}:/no/such/folder"
        (Get-DockerCliResult exec $n test -e /no).ExitCode | Should -Be 1

        # A folder cannot replace a file in the container (the engine refuses, nothing changes).
        $null = New-Item -ItemType Directory -Path (Join-Path $local 'src/file')
        Copy-DockerContainerItem $n (Join-Path $local 'src/.') /data/folder -ToContainer -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('CopyConflict')
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Invoke-DockerCli exec $n cat /data/folder/file | Should -Be 'x'

        Copy-DockerContainerItem $n /data/folder $local -WhatIf -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-EntryName $local | Should -Be @('a-file.txt', 'src')
    }

    It 'ends within a second on Ctrl+C during a copy out of a big container, and leaves nothing behind' {
        $image = Initialize-TestBigImage
        $n = New-TestName 'cp-big'
        $null = Invoke-DockerCli create --name $n --label (Get-TestLabel) $image
        $local = New-TestFolder 'cp-big'
        $started = Start-TestPipeline 'Copy-DockerContainerItem $n /data/random.bin $dest' -Variable @{ n = $n; dest = (Join-Path $local 'copied.bin') }
        try {
            Wait-TestCondition { Test-TestProgress $started 'Copying from a container' } -Pipeline $started -Because 'the copy reports progress'
            Get-ChildItem -Force -Directory -Filter '*.partial' -LiteralPath $local | Should -Not -BeNullOrEmpty

            $null = Assert-TestPipelineStops $started
            Get-EntryName $local | Should -BeNullOrEmpty
        }
        finally {
            Remove-TestPipeline $started
        }
    }
}

Describe 'Export-DockerContainer' {
    It 'writes the container''s file system as docker export does, plain or compressed' {
        $n = New-TestContainer 'export'
        $marker = [guid]::NewGuid().ToString()
        $null = Invoke-TestExec $n "mkdir -p /data && echo $marker > /data/marker.txt && rm /etc/group"
        $archive = New-TestPath 'export.tar'

        $result = Invoke-TestPipeline 'Get-DockerContainer -Name $n | Export-DockerContainer -Path $archive -PassThru' -Variable @{ n = $n; archive = $archive }
        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -HaveCount 1
        $result.Output[0] | Should -BeOfType [System.IO.FileInfo]
        $result.Output[0].FullName | Should -Be $archive
        & tar -xOf $archive data/marker.txt | Should -Be $marker
        $listing = @(& tar -tf $archive)
        $cliListing = @(& bash -c 'docker export "$1" | tar -t' bash $n)
        $LASTEXITCODE | Should -Be 0
        $listing.Count | Should -BeGreaterThan 100
        [string[]] $sorted = $listing.Clone(); [array]::Sort($sorted, [StringComparer]::Ordinal)
        [string[]] $cliSorted = $cliListing.Clone(); [array]::Sort($cliSorted, [StringComparer]::Ordinal)
        $sorted | Should -Be $cliSorted
        $listing | Should -Not -Contain 'etc/group'
        $listing | Should -Contain 'etc/passwd'
        $result.Progress | Where-Object { $_.Activity -eq 'Exporting a container' -and $_.RecordType -eq 'Completed' } | Should -Not -BeNullOrEmpty

        $compressed = New-TestPath 'export.tar.gz'
        Export-DockerContainer $n $compressed -Compress -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $head = [System.IO.File]::ReadAllBytes($compressed)[0..1]
        $head | Should -Be @(0x1f, 0x8b)
        & tar -xzOf $compressed data/marker.txt | Should -Be $marker
        Get-ChildItem -Force -Filter '*.partial' -LiteralPath $workDir | Should -BeNullOrEmpty
    }

    It 'reports bad input as an error, and leaves no file' {
        $n = New-TestContainer 'export-bad'

        $archive = New-TestPath 'unknown.tar'
        Export-DockerContainer dockerps-test-no-such-container $archive -ErrorVariable err -ErrorAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ContainerNotFound')
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $archive | Should -Not -Exist

        # A -Path that cannot be written is known before anything is asked of the engine: the command stops.
        $noFolder = Join-Path $workDir 'no-such-folder/export.tar'
        $thrown = { Export-DockerContainer $n $noFolder } | Should -Throw -ErrorId 'ArchiveDestinationInvalid,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'WriteError'
        $thrown.TargetObject | Should -Be $noFolder
        Split-Path $noFolder | Should -Not -Exist

        $thrown = { Export-DockerContainer $n $workDir } | Should -Throw -ErrorId 'ArchiveDestinationInvalid,*' -PassThru
        $workDir | Should -Exist

        $existing = New-TestPath 'existing-export.tar'
        Set-Content -NoNewline -LiteralPath $existing -Value 'keep me'
        $thrown = { Export-DockerContainer $n $existing } | Should -Throw -ErrorId 'ArchiveDestinationInvalid,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ResourceExists'
        $thrown.TargetObject | Should -Be $existing
        Get-Content -Raw -LiteralPath $existing | Should -BeExactly 'keep me'
        Export-DockerContainer $n $existing -Force -ErrorVariable err
        $err | Should -BeNullOrEmpty
        (Get-Item -LiteralPath $existing).Length | Should -BeGreaterThan 1000000

        Export-DockerContainer $n $existing -Force -WhatIf -ErrorVariable err
        $err | Should -BeNullOrEmpty
        Get-ChildItem -Force -Filter '*.partial' -LiteralPath $workDir | Should -BeNullOrEmpty
    }

    It 'ends within a second on Ctrl+C during the export of a big container, and keeps the path as it was' {
        $image = Initialize-TestBigImage
        $n = New-TestName 'export-big'
        $null = Invoke-DockerCli create --name $n --label (Get-TestLabel) $image

        # No file at a new path, and an existing file (replaced only when whole, with -Force) left untouched.
        $fresh = New-TestPath 'big-export.tar'
        $existing = New-TestPath 'old-export.tar'
        Set-Content -NoNewline -LiteralPath $existing -Value 'the old archive'
        foreach ($case in @{ Path = $fresh; Force = $false }, @{ Path = $existing; Force = $true }) {
            $started = Start-TestPipeline 'Export-DockerContainer $n $archive -Force:$force' -Variable @{ n = $n; archive = $case.Path; force = $case.Force }
            try {
                Wait-TestCondition { Test-TestProgress $started 'Exporting a container' } -Pipeline $started -Because 'the export reports progress'
                Get-ChildItem -Force -Filter '*.partial' -LiteralPath $workDir | Should -Not -BeNullOrEmpty

                $null = Assert-TestPipelineStops $started
                Get-ChildItem -Force -Filter '*.partial' -LiteralPath $workDir | Should -BeNullOrEmpty
            }
            finally {
                Remove-TestPipeline $started
            }
        }

        $fresh | Should -Not -Exist
        Get-Content -Raw -LiteralPath $existing | Should -BeExactly 'the old archive'
    }
}
