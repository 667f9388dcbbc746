# The default views as Out-String renders them at 80, 120 and 200 columns: identifying values are never cut, widths
# follow the values, and every port is shown as docker ps shows it.

BeforeDiscovery {
    $widths = 80, 120, 200
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest

    # What a pipeline renders at a width, as lines without trailing blanks.
    function Get-RenderedLine([scriptblock] $Pipeline, [int] $Width) {
        $text = & $Pipeline | Out-String -Width $Width
        @($text -split '\r?\n' | ForEach-Object TrimEnd)
    }

    # The one rendered line that holds $Key; no line is wider than $Width.
    function Get-RenderedRow([scriptblock] $Pipeline, [int] $Width, [string] $Key) {
        $lines = Get-RenderedLine $Pipeline $Width
        foreach ($line in $lines) {
            $line.Length | Should -BeLessOrEqual $Width -Because "no line is wider than $Width`: $line"
        }
        $rows = @($lines | Where-Object { $_.Contains($Key) })
        $rows | Should -HaveCount 1 -Because "one line holds $Key at $Width columns:`n$($lines -join "`n")"
        $rows[0]
    }
}

AfterAll {
    Remove-TestResource
}

Describe 'The container view' {
    BeforeAll {
        $name = New-TestName 'a-long-name-for-views'
        $port = 20000 + (Get-Random -Minimum 0 -Maximum 1000) * 8
        $null = Invoke-DockerCli run -d --name $name --label (Get-TestLabel) -p "[::1]:${port}:90" -p "127.0.0.1:$($port + 1)-$($port + 3):91-93/udp" `
            -p "127.0.0.1:$($port + 4):$($port + 4)" -p "127.0.0.1:$($port + 5):$($port + 5)" (Get-TestBaseImage) sleep 300
        $dockerPorts = Invoke-DockerCli ps --filter "name=$name" --format '{{.Ports}}'
    }

    It 'docker ps shows every port, ranges joined (the ground truth)' {
        $dockerPorts | Should -BeLikeExactly "*$([WildcardPattern]::Escape("[::1]:$port->90/tcp"))*"
        $dockerPorts | Should -BeLikeExactly "*127.0.0.1:$($port + 4)-$($port + 5)->$($port + 4)-$($port + 5)/tcp*"
    }

    It 'keeps the name and the state whole at <_> columns' -ForEach $widths {
        $row = Get-RenderedRow { Get-DockerContainer -Name $name } $_ $name
        $row | Should -Match '^[0-9a-f]{12} '
        $row | Should -Match " $([regex]::Escape($name)) +Up "
        $row.Replace($name, '') | Should -Not -BeLike '*-1*'
    }

    It 'shows the PORTS text of docker ps byte for byte when wide enough, the IPv6 address whole' {
        Get-RenderedRow { Get-DockerContainer -Name $name } 400 $name | Should -BeLikeExactly "* $([WildcardPattern]::Escape($dockerPorts))"
    }

    It 'shows more in the Wide view and the list than docker ps: the state, the networks and the whole command' {
        $wide = Get-RenderedRow { Get-DockerContainer -Name $name | Format-Table -View Wide } 400 $name
        $wide | Should -Match " $([regex]::Escape($name)) +Running +Up .* bridge +$([regex]::Escape($dockerPorts)) +`"sleep 300`"$"
        $list = (Get-RenderedLine { Get-DockerContainer -Name $name | Format-List } 200) -join "`n"
        $list | Should -Match "\nName +: $([regex]::Escape($name))\n"
        $list | Should -Match '(?m)^StartedAt +:'
    }
}

Describe 'The image view' {
    BeforeAll {
        $repository = "registry.example.com:5000/qa/views-$(Get-TestRunId)"
        $tag = '1.2.3-alpine3.19'
        $id = New-TestRootfsImage -Reference "${repository}:$tag"
        $null = Invoke-DockerCli tag $id "${repository}:ps2"
    }

    It 'shows whole repositories and tags, one row per reference, at <_> columns' -ForEach $widths {
        $width = $_
        $lines = Get-RenderedLine { Get-DockerImage -Name $repository } $width
        $rows = @($lines | Where-Object { $_.StartsWith("$repository ") })
        $rows | Should -HaveCount 2 -Because "one row per reference:`n$($lines -join "`n")"
        foreach ($t in $tag, 'ps2') {
            $rows | Where-Object { $_ -match "^$([regex]::Escape($repository)) +$([regex]::Escape($t)) +$($id.Substring(7, 12))( |$)" } |
                Should -HaveCount 1 -Because "$t at $width`:`n$($rows -join "`n")"
        }
        foreach ($row in $rows) {
            $row.Substring($repository.Length) | Should -Not -BeLike '*-1*'
            $row.Length | Should -BeLessOrEqual $width
        }
    }

    It 'lists every reference in the Wide view, and no -1 in the list' {
        $wide = (Get-RenderedLine { Get-DockerImage -Name $repository | Format-Table -View Wide } 400) -join "`n"
        $wide | Should -BeLikeExactly "*${repository}:$tag, ${repository}:ps2*"
        $list = (Get-RenderedLine { Get-DockerImage -Name $repository | Format-List } 200) -join "`n"
        $list | Should -Match "\n[A-Za-z]+ +: ${repository}:"
        $list | Should -Not -Match 'Containers\s*:\s*-1'
    }
}

Describe 'The volume view' {
    BeforeAll {
        $anonymous = Invoke-DockerCli volume create --label (Get-TestLabel)
    }

    It 'shows the whole anonymous name at <_> columns' -ForEach $widths {
        $anonymous | Should -Match '^[0-9a-f]{64}$'
        Get-RenderedRow { Get-DockerVolume -Name $anonymous } $_ $anonymous | Should -Match "^local +$anonymous( |$)"
    }

    It 'shows the mount point in the Wide view' {
        $mountpoint = Invoke-DockerCli volume inspect --format '{{.Mountpoint}}' $anonymous
        Get-RenderedRow { Get-DockerVolume -Name $anonymous | Format-Table -View Wide } 400 $anonymous | Should -BeLikeExactly "*$mountpoint*"
    }
}

Describe 'The network view' {
    BeforeAll {
        $network = New-TestName 'a-network-with-a-long-name'
        $null = Invoke-DockerCli network create --label (Get-TestLabel) $network
        $names = foreach ($i in 1..9) {
            $on = New-TestName "on-net-$i"
            $null = Invoke-DockerCli run -d --name $on --label (Get-TestLabel) --network $network (Get-TestBaseImage) sleep 300
            $on
        }
    }

    It 'shows the whole name at <_> columns' -ForEach $widths {
        Get-RenderedRow { Get-DockerNetwork -Name $network } $_ $network | Should -Match "^[0-9a-f]{12} +$([regex]::Escape($network)) +bridge"
    }

    It 'shows every attached container in the Wide view' {
        $all = Get-RenderedRow { Get-DockerNetwork -Name $network | Format-Table -View Wide } 600 $network
        foreach ($n in $names) {
            $all | Should -BeLikeExactly "*$n*"
        }
        (Invoke-DockerCli network inspect --format '{{len .Containers}}' $network) | Should -Be '9'
    }
}
