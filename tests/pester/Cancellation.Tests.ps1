# Ctrl+C in the middle of long work ends the command within a second and leaves nothing half-done. Each command runs
# in a PowerShell of its own, started without waiting; Stop() is what Ctrl+C does in a console.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest

    # The run's temporary folder, where New-TestPath puts everything.
    $workDir = Split-Path (New-TestPath 'probe')

    # One gzip member holding $Data.
    function ConvertTo-GzipMember([byte[]] $Data) {
        $member = [System.IO.MemoryStream]::new()
        $gzip = [System.IO.Compression.GZipStream]::new($member, [System.IO.Compression.CompressionLevel]::SmallestSize, $true)
        $gzip.Write($Data, 0, $Data.Length)
        $gzip.Dispose()
        $member.ToArray()
    }

    # A ustar header of a plain file of $Size bytes.
    function New-TarHeader([string] $Name, [long] $Size) {
        $header = [byte[]]::new(512)
        function Put([int] $Offset, [string] $Text) {
            $bytes = [System.Text.Encoding]::ASCII.GetBytes($Text)
            [array]::Copy($bytes, 0, $header, $Offset, $bytes.Length)
        }
        Put 0 $Name
        Put 100 "0000644`0"
        Put 108 "0000000`0"
        Put 116 "0000000`0"
        Put 124 ([Convert]::ToString($Size, 8).PadLeft(11, '0') + "`0")
        Put 136 "00000000000`0"
        Put 148 '        '
        $header[156] = [byte][char]'0'
        Put 257 "ustar`0"
        Put 263 '00'
        $sum = 0
        foreach ($b in $header) { $sum += $b }
        Put 148 ([Convert]::ToString($sum, 8).PadLeft(6, '0') + "`0 ")
        , $header
    }
}

AfterAll {
    Remove-TestResource
}

Describe 'Ctrl+C' {
    It 'during Save-DockerImage of a large image ends within a second, and leaves no file' {
        $image = Initialize-TestBigImage
        $archive = New-TestPath 'big.tar'
        $started = Start-TestPipeline 'Save-DockerImage -Name $image -Path $archive' -Variable @{ image = $image; archive = $archive }
        try {
            # Bytes are flowing into the temporary file.
            Wait-TestCondition { Test-TestProgress $started 'Saving images' } -Pipeline $started -Because 'the save reports progress; make the test image larger if it ends first'
            Get-ChildItem -Force -Filter '*big.tar*.partial' -LiteralPath $workDir | Should -Not -BeNullOrEmpty

            $null = Assert-TestPipelineStops $started
            $archive | Should -Not -Exist
            Get-ChildItem -Force -Filter '*.partial' -LiteralPath $workDir | Should -BeNullOrEmpty
        }
        finally {
            Remove-TestPipeline $started
        }
    }

    It 'during a long Invoke-DockerExec ends the call within a second' {
        $n = New-TestContainer 'longexec'
        $started = Start-TestPipeline 'Invoke-DockerExec -Container $n -Command sh, -c, ''echo started; sleep 120; echo never''' -Variable @{ n = $n }
        try {
            # The command really runs in the container.
            Wait-TestCondition { (Invoke-DockerCli top $n) -match 'sleep 120' } -Seconds 30 -Pipeline $started -Because 'the exec runs sleep 120'
            # (Count: enumerating a stream of a running pipeline waits for the pipeline to end.)
            $started.PowerShell.Streams.Error.Count | Should -Be 0

            $null = Assert-TestPipelineStops $started
        }
        finally {
            Remove-TestPipeline $started
        }
    }

    It 'during Import-DockerImage''s scan of a large archive stops the scan' {
        # A gzip archive of eight 4 GiB entries of zeros and no manifest: a compressed archive cannot be sought through,
        # so Import-DockerImage inflates for seconds before it gives up (about 0.1 s a GiB here; 4 GiB alone was once
        # scanned before the stop came). The zeros are one small gzip member written many times over (a gzip file may
        # hold several members), so the file is small and quick to make.
        $archive = New-TestPath 'zeros.tar.gz'
        $entries = 8
        $members = 64
        $memberSize = 64MB
        $file = [System.IO.File]::Open($archive, [System.IO.FileMode]::CreateNew)
        try {
            $zeros = ConvertTo-GzipMember ([byte[]]::new($memberSize))
            for ($entry = 1; $entry -le $entries; $entry++) {
                $header = ConvertTo-GzipMember (New-TarHeader "zeros$entry.bin" ([long]$members * $memberSize))
                $file.Write($header, 0, $header.Length)
                for ($i = 0; $i -lt $members; $i++) { $file.Write($zeros, 0, $zeros.Length) }
            }
            $end = ConvertTo-GzipMember ([byte[]]::new(1024))
            $file.Write($end, 0, $end.Length)
        }
        finally {
            $file.Dispose()
        }
        # The archive is what it claims: 4 GiB entries (the host's tar reads the first header).
        & bash -c 'gzip -dc "$1" 2>/dev/null | head -c 512 | tar -tv 2>/dev/null' bash $archive | Should -Match '4294967296 .*zeros1\.bin'
        (Get-Item -LiteralPath $archive).Length | Should -BeLessThan 100MB

        $started = Start-TestPipeline 'Import-DockerImage -Path $archive' -Variable @{ archive = $archive }
        try {
            Start-Sleep -Milliseconds 300
            $started.Handle.IsCompleted | Should -BeFalse -Because 'the scan does not end by itself that soon'

            $null = Assert-TestPipelineStops $started
            # Stopped, not given up: the scan never got to say that the archive has no manifest.
            $started.PowerShell.Streams.Error.Count | Should -Be 0
        }
        finally {
            Remove-TestPipeline $started
        }
    }
}
