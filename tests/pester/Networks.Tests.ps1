# Networks against the real engine, in real pwsh. Every network is a local bridge in 10.213.0.0/16, which has no route
# off the machine; containers only ever reach each other and the engine's own gateways. Ground truth comes from the
# docker CLI, ping inside the containers and the engine's firewall rules.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Engine.Support.ps1')
    $label = Get-TestLabel
    $base = Get-TestBaseImage
}

AfterAll {
    Remove-TestResource
}

Describe 'Two containers on a new bridge' {
    It 'reach each other by name and alias once connected, and Disconnect-DockerNetwork cuts them apart' {
        $prefix = New-TestSubnetPrefix
        $network = New-TestName 'net'
        $a = New-TestName 'a'
        $b = New-TestName 'b'

        $made = @(New-DockerNetwork -Name $network -Subnet "$prefix.0/24" -Gateway "$prefix.1" -IPRange "$prefix.128/25" -Label $label -Option @{ 'com.docker.network.driver.mtu' = '1400' })
        $made.Count | Should -Be 1
        $made[0] | Should -BeOfType DockerPS.DockerNetwork
        $made[0].Driver | Should -BeExactly 'bridge'
        $made[0].Internal | Should -BeFalse
        @($made[0].Subnets).Count | Should -Be 1
        $made[0].Subnets[0].Subnet | Should -BeExactly "$prefix.0/24"
        $made[0].Subnets[0].Gateway | Should -BeExactly "$prefix.1"
        $made[0].Subnets[0].IPRange | Should -BeExactly "$prefix.128/25"
        $made[0].Options['com.docker.network.driver.mtu'] | Should -BeExactly '1400'
        $made[0].Labels['dockerps.test.run'] | Should -BeExactly (Get-TestRunId)
        Invoke-DockerCli network inspect --format '{{index .Options "com.docker.network.driver.mtu"}}' $network | Should -BeExactly '1400'

        New-DockerContainer -Image dockerps-test/busybox -Name $a -Network $network -Label $label -Command sleep, 300 | Start-DockerContainer -ErrorAction Stop
        New-DockerContainer -Image dockerps-test/busybox -Name $b -Label $label -Command sleep, 300 | Start-DockerContainer -ErrorAction Stop
        Invoke-TestPing $a $b | Should -Not -Be 0

        $connected = @(Get-DockerContainer -Name $b | Connect-DockerNetwork -Network $network -Alias db, store -IPAddress "$prefix.50" -PassThru -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $connected.Count | Should -Be 1
        $connected[0] | Should -BeOfType DockerPS.DockerContainer
        $connected[0].Networks | Should -Contain $network
        Invoke-DockerCli container inspect --format "{{(index .NetworkSettings.Networks `"$network`").IPAddress}}" $b | Should -BeExactly "$prefix.50"
        Invoke-TestPing $a $b | Should -Be 0
        Invoke-TestPing $a 'db' | Should -Be 0
        Invoke-TestPing $a 'store' | Should -Be 0
        Invoke-TestPing $b $a | Should -Be 0

        $listed = @(Get-DockerNetwork -Name $network)
        $listed.Count | Should -Be 1
        $listed[0].Containers | Should -Be (@($a, $b) | Sort-Object -CaseSensitive)
        ($listed[0].Endpoints | Where-Object Container -EQ $b).IPv4Address | Should -BeExactly "$prefix.50/24"
        $fromRange = ($listed[0].Endpoints | Where-Object Container -EQ $a).IPv4Address
        $fromRange | Should -BeLike "$prefix.*"
        [int]$fromRange.Split('/')[0].Split('.')[3] | Should -BeGreaterOrEqual 128 -Because "$fromRange is inside -IPRange"

        Disconnect-DockerNetwork -Network $network -Container $b -ErrorAction Stop
        Invoke-TestPing $a $b | Should -Not -Be 0
        Invoke-TestPing $a 'db' | Should -Not -Be 0
        (Get-DockerNetwork -Name $network).Containers | Should -Be @($a)
        Invoke-DockerCli container inspect --format '{{json .NetworkSettings.Networks}}' $b | Should -Not -Match $network
    }
}

Describe 'An internal network' {
    It 'has no way out, while an ordinary one has' {
        $internalPrefix = New-TestSubnetPrefix
        $otherPrefix = New-TestSubnetPrefix
        $closed = New-TestName 'internal'
        $open = New-TestName 'open'
        $inside = New-TestName 'inside'
        $peer = New-TestName 'peer'
        $outside = New-TestName 'outside'

        $made = @(New-DockerNetwork $closed -Internal -Subnet "$internalPrefix.0/24" -Label $label -ErrorVariable err
            New-DockerNetwork $open -Subnet "$otherPrefix.0/24" -Label $label -ErrorVariable +err)
        $err | Should -BeNullOrEmpty
        $closedNetwork = $made | Where-Object Name -EQ $closed
        $openNetwork = $made | Where-Object Name -EQ $open
        $closedNetwork.Internal | Should -BeTrue
        $openNetwork.Internal | Should -BeFalse
        Invoke-DockerCli network inspect --format '{{.Internal}}' $closed | Should -BeExactly 'true'

        foreach ($pair in @($inside, $closed), @($peer, $closed), @($outside, $open)) {
            $null = Invoke-DockerCli run -d --name $pair[0] --label $label --network $pair[1] $base sleep 300
        }
        $outsideAddress = Invoke-DockerCli container inspect --format "{{(index .NetworkSettings.Networks `"$open`").IPAddress}}" $outside
        Invoke-TestPing $inside $peer | Should -Be 0
        Invoke-TestPing $inside $outsideAddress | Should -Not -Be 0

        # The engine's firewall drops whatever leaves the internal bridge for an address outside its subnet, and lets
        # nothing out of it; the ordinary bridge's traffic out is accepted.
        $closedBridge = "br-$($closedNetwork.ShortId)"
        $openBridge = "br-$($openNetwork.ShortId)"
        $rules = @(& iptables -S)
        $LASTEXITCODE | Should -Be 0
        $rules | Should -Contain "-A DOCKER-ISOLATION-STAGE-1 ! -d $internalPrefix.0/24 -i $closedBridge -j DROP"
        $rules | Should -Not -Contain "-A FORWARD -i $closedBridge ! -o $closedBridge -j ACCEPT"
        $rules | Should -Contain "-A FORWARD -i $openBridge ! -o $openBridge -j ACCEPT"
        $rules -join "`n" | Should -Not -Match ([regex]::Escape("! -d $otherPrefix.0/24 -i $openBridge -j DROP"))
    }
}

Describe 'Clear-DockerNetwork' {
    It '-WhatIf lists the unused networks, and the prune reports what went' {
        $only = "dockerps.test.clear=$([guid]::NewGuid().ToString('N'))"
        $unused = New-TestName 'unused'
        $used = New-TestName 'used'
        $null = Invoke-DockerCli network create --label $label --label $only --subnet "$(New-TestSubnetPrefix).0/24" $unused
        $null = Invoke-DockerCli network create --label $label --label $only --subnet "$(New-TestSubnetPrefix).0/24" $used
        $null = Invoke-DockerCli run -d --name (New-TestName 'user') --label $label --network $used $base sleep 300

        $preview = Invoke-TestWithHost { Clear-DockerNetwork -Label $only -WhatIf }
        $preview.Errors | Should -BeNullOrEmpty
        $preview.Output | Should -BeNullOrEmpty
        $preview.Host | Should -Match ([regex]::Escape("on target `"$unused ("))
        $preview.Host | Should -Not -Match $used
        $preview.Host | Should -Match ([regex]::Escape('"1 network(s) with no container connected on '))
        Test-DockerNetwork $unused | Should -BeTrue -Because '-WhatIf removed nothing'

        $report = @(Clear-DockerNetwork -Label $only -Force -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $report.Count | Should -Be 1
        $report[0] | Should -BeOfType DockerPS.DockerPruneResult
        $report[0].Kind | Should -BeExactly 'Network'
        $report[0].Deleted | Should -Be @($unused)
        Test-DockerNetwork $unused | Should -BeFalse
        Test-DockerNetwork $used | Should -BeTrue -Because 'the network a running container uses stayed'
    }
}

Describe 'Network cmdlets given bad input' {
    BeforeAll {
        $prefix = New-TestSubnetPrefix
        $network = New-TestName 'taken'
        $member = New-TestName 'member'
        $loner = New-TestName 'loner'
        $null = Invoke-DockerCli network create --label $label --subnet "$prefix.0/24" $network
        $null = Invoke-DockerCli run -d --name $member --label $label --network $network $base sleep 300
        $null = Invoke-DockerCli run -d --name $loner --label $label $base sleep 300
        $missing = 'dockerps-test-no-such-network'
        $overlapping = New-TestName 'overlap'
    }

    It 'Get-DockerNetwork names a network that is not there' {
        Get-DockerNetwork -Name $missing -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id NetworkNotFound -Category ObjectNotFound -Target $missing
    }

    It 'New-DockerNetwork refuses <Case>, and makes nothing' -ForEach @(
        @{ Case = 'a subnet that overlaps another network''s'; Id = 'SubnetOverlap'; Category = 'InvalidArgument'; Subnet = { "$prefix.128/25" }; Target = { $overlapping } }
        @{ Case = 'two subnets that overlap each other'; Id = 'SubnetOverlap'; Category = 'InvalidArgument'; Subnet = { '10.213.0.0/24', '10.213.0.0/25' }; Terminating = $true; Target = { '10.213.0.0/25' } }
        @{ Case = 'an address that is none'; Id = 'InvalidNetworkAddress'; Category = 'InvalidArgument'; Subnet = { '10.213.300.0/24' }; Terminating = $true; Target = { '10.213.300.0/24' } }
        @{ Case = 'a gateway outside the subnet'; Id = 'InvalidNetworkAddress'; Category = 'InvalidArgument'; Subnet = { '10.213.9.0/24' }; Gateway = '10.213.10.1'; Terminating = $true; Target = { '10.213.10.1' } }
    ) {
        $parameters = @{ Name = $overlapping; Subnet = & $Subnet; Label = $label }
        if ($Gateway) { $parameters.Gateway = $Gateway }
        if ($Terminating) {
            # Checked before the engine is asked: the command stops there.
            $err = { New-DockerNetwork @parameters } | Should -Throw -PassThru
        }
        else {
            New-DockerNetwork @parameters -ErrorVariable err -ErrorAction SilentlyContinue
        }
        $null = Assert-TestError $err -Id $Id -Category $Category -Target (& $Target)
        Test-DockerNetwork $overlapping | Should -BeFalse
    }

    It 'New-DockerNetwork refuses a name that is taken, and makes no second network' {
        New-DockerNetwork -Name $network -Label $label -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id NetworkExists -Category ResourceExists -Target $network
        @(Invoke-DockerCli network ls -q --filter "name=^$network$" | Where-Object { $_ }).Count | Should -Be 1
    }

    It 'Remove-DockerNetwork keeps a network with containers and says which' {
        Remove-DockerNetwork -Name $network -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $record = Assert-TestError $err -Id NetworkInUse -Category ResourceUnavailable -Target $network
        $record.Exception.Message | Should -Match $member
        Test-DockerNetwork $network | Should -BeTrue -Because 'a network with containers stays'
    }

    It 'Remove-DockerNetwork still removes the next network after one that is not there' {
        $doomed = New-TestName 'doomed'
        $null = Invoke-DockerCli network create --label $label $doomed
        Remove-DockerNetwork -Name $missing, $doomed -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id NetworkNotFound -Category ObjectNotFound -Target $missing
        Test-DockerNetwork $doomed | Should -BeFalse -Because 'the next network was still removed'
    }

    It 'Remove-DockerNetwork refuses the engine''s own bridge' {
        Remove-DockerNetwork -Name bridge -Force -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id NetworkPredefined -Category InvalidOperation -Target 'bridge'
        Test-DockerNetwork 'bridge' | Should -BeTrue
    }

    It 'Connect-DockerNetwork refuses <Case>' -ForEach @(
        @{ Case = 'a network that is not there'; Net = { $missing }; Container = { $loner }; Id = 'NetworkNotFound'; Category = 'ObjectNotFound'; Target = { $missing } }
        @{ Case = 'a container that is not there'; Net = { $network }; Container = { 'dockerps-test-no-such-container' }; Id = 'ContainerNotFound'; Category = 'ObjectNotFound'; Target = { 'dockerps-test-no-such-container' } }
        @{ Case = 'a container already connected'; Net = { $network }; Container = { $member }; Id = 'ContainerAlreadyConnected'; Category = 'ResourceExists'; Target = { $member } }
        @{ Case = 'an address outside the subnet'; Net = { $network }; Container = { $loner }; Address = '10.213.254.254'; Id = 'InvalidNetworkAddress'; Category = 'InvalidArgument'; Target = { '10.213.254.254' } }
        @{ Case = 'an address that is none'; Net = { $network }; Container = { $loner }; Address = 'not-an-address'; Terminating = $true; Id = 'InvalidNetworkAddress'; Category = 'InvalidArgument'; Target = { 'not-an-address' } }
    ) {
        $parameters = @{ Network = & $Net; Container = & $Container }
        if ($Address) { $parameters.IPAddress = $Address }
        if ($Terminating) {
            $err = { Connect-DockerNetwork @parameters } | Should -Throw -PassThru
        }
        else {
            Connect-DockerNetwork @parameters -ErrorVariable err -ErrorAction SilentlyContinue
        }
        $null = Assert-TestError $err -Id $Id -Category $Category -Target (& $Target)
        (Get-DockerNetwork -Name $network).Containers | Should -Be @($member)
    }

    It 'Disconnect-DockerNetwork refuses a container that is not connected' {
        Disconnect-DockerNetwork -Network $network -Container $loner -ErrorVariable err -ErrorAction SilentlyContinue
        $null = Assert-TestError $err -Id ContainerNotConnected -Category InvalidOperation -Target $loner
        (Get-DockerNetwork -Name $network).Containers | Should -Not -Contain $loner
        Invoke-DockerCli container inspect --format '{{json .NetworkSettings.Networks}}' $member | Should -Match $network
    }
}

Describe 'Volumes and networks in the console' {
    BeforeAll {
        $volume = New-TestName 'fmtvol'
        $network = New-TestName 'fmtnet'
        $user = New-TestName 'fmtuser'
        $prefix = New-TestSubnetPrefix
        $null = Invoke-DockerCli volume create --label $label $volume
        $null = Invoke-DockerCli network create --label $label --subnet "$prefix.0/24" $network
        $null = Invoke-DockerCli run -d --name $user --label $label --network $network -v "${volume}:/data" $base sleep 300
    }

    It 'Get-DockerVolume shows driver, name, age and the containers that use it' {
        $table = Get-DockerVolume -Name $volume | Out-String -Width 200
        $table | Should -Match 'DRIVER\s+VOLUME NAME\s+CREATED\s+USED BY'
        $table | Should -Match "local\s+$volume\s+(\d+ seconds?|Less than a second|About a minute) ago\s+$user"
    }

    It 'Get-DockerNetwork shows id, name, driver, scope, subnet and containers' {
        $table = Get-DockerNetwork -Name $network | Out-String -Width 200
        $table | Should -Match 'NETWORK ID\s+NAME\s+DRIVER\s+SCOPE\s+SUBNET\s+INTERNAL\s+CONTAINERS'
        $id = (Invoke-DockerCli network inspect --format '{{.Id}}' $network).Substring(0, 12)
        $table | Should -Match "$id\s+$network\s+bridge\s+local\s+$([regex]::Escape($prefix))\.0/24\s+$user"
    }

    It 'Tab completes <Line>…' -ForEach @(
        @{ Line = 'Remove-DockerVolume -Name '; Kind = 'volume' }
        @{ Line = 'Backup-DockerVolume '; Kind = 'volume' }
        @{ Line = 'Connect-DockerNetwork -Network '; Kind = 'network' }
        @{ Line = 'Get-DockerNetwork '; Kind = 'network' }
    ) {
        $name = if ($Kind -eq 'volume') { $volume } else { $network }
        Get-TestCompletion ($Line + $name.Substring(0, $name.Length - 3)) | Should -Be @($name)
    }
}
