# Every error names its real cause, with its own id, and advises the parameter that was really given: ambiguous id
# prefixes, unknown drivers, taken names, refused credentials, sizes too large, hosts that do not resolve, listen, or
# speak only TLS, and prompts a non-interactive pwsh refuses. In real pwsh, ground truth from the docker CLI.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Errors.Support.ps1')
    $script:label = Get-TestLabel
    $script:image = Get-TestBaseImage
    $script:runId = Get-TestRunId
}

AfterAll {
    Remove-TestResource
}

Describe 'An id prefix that matches several objects is ambiguous, and names the matches' {
    It 'Stop-DockerContainer -Id and Remove-DockerContainer -Id say ContainerIdAmbiguous, and both containers stay' {
        $pair = New-TestPairSharingAFirstDigit {
            $name = New-TestName 'prefix'
            [pscustomobject]@{ Name = $name; Id = Invoke-DockerCli create --name $name --label $label $image sleep 300 }
        }
        $prefix = $pair.Prefix
        foreach ($command in { Stop-DockerContainer -Id $prefix -ErrorVariable err -ErrorAction SilentlyContinue },
            { Remove-DockerContainer -Id $prefix -Force -ErrorVariable err -ErrorAction SilentlyContinue }) {
            $null = . $command
            $err.Count | Should -Be 1 -Because "$command"
            $err[0] | Get-TestErrorId | Should -BeExactly 'ContainerIdAmbiguous'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].TargetObject | Should -BeExactly $prefix
            $err[0].Exception.Message | Should -BeLikeExactly "*'$prefix'*"
            $err[0].Exception.Message | Should -BeLikeExactly "*$($pair.First.Id.Substring(0, 12)) ($($pair.First.Name))*"
            $err[0].Exception.Message | Should -BeLikeExactly "*$($pair.Second.Id.Substring(0, 12)) ($($pair.Second.Name))*"
        }
        Test-DockerContainer $pair.First.Id | Should -BeTrue
        Test-DockerContainer $pair.Second.Id | Should -BeTrue
        Get-DockerContainerState $pair.First.Id | Should -Be 'created'
    }

    It 'Remove-DockerImage -Id says ImageIdAmbiguous, not ImageNotFound, and both images stay' {
        $source = New-TestName 'commit-source'
        $null = Invoke-DockerCli create --name $source --label $label $image true
        $references = [System.Collections.Generic.List[string]]::new()
        try {
            $pair = New-TestPairSharingAFirstDigit {
                # Each commit gets its own config, so its own id; the run's label lets the cleanup find it too.
                $reference = "dockerps-test/prefix:$runId-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
                $id = Invoke-DockerCli commit --change "LABEL $label" --change "LABEL unique=$([guid]::NewGuid().ToString('N'))" $source $reference
                $references.Add($reference)
                [pscustomobject]@{ Name = $reference; Id = $id.Replace('sha256:', '') }
            }
            $null = Remove-DockerImage -Id $pair.Prefix -Force -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0] | Get-TestErrorId | Should -BeExactly 'ImageIdAmbiguous'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].TargetObject | Should -BeExactly $pair.Prefix
            $err[0].Exception.Message | Should -BeLikeExactly "*$($pair.First.Id.Substring(0, 12)) ($($pair.First.Name))*"
            $err[0].Exception.Message | Should -BeLikeExactly "*$($pair.Second.Id.Substring(0, 12)) ($($pair.Second.Name))*"
            Test-DockerImage $pair.First.Name | Should -BeTrue
            Test-DockerImage $pair.Second.Name | Should -BeTrue

            # A hex name that matches no image at all is still not found.
            $null = Remove-DockerImage -Id fedcba9876543210fedc -Force -ErrorVariable none -ErrorAction SilentlyContinue
            @($none | Get-TestErrorId) | Should -Be @('ImageNotFound')
        }
        finally {
            # Committed images are children of the base image: they go now, not only at the end of the run.
            $null = Get-DockerCliResult rm -f $source
            if ($references.Count) { $null = Get-DockerCliResult rmi -f @references }
        }
    }

    It 'Remove-DockerNetwork -Id says NetworkIdAmbiguous, and both networks stay' {
        $pair = New-TestPairSharingAFirstDigit {
            $name = New-TestName 'prefix-net'
            [pscustomobject]@{ Name = $name; Id = Invoke-DockerCli network create --internal --label $label $name }
        }
        $null = Remove-DockerNetwork -Id $pair.Prefix -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0] | Get-TestErrorId | Should -BeExactly 'NetworkIdAmbiguous'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -BeLikeExactly "*$($pair.First.Id.Substring(0, 12)) ($($pair.First.Name))*"
        $err[0].Exception.Message | Should -BeLikeExactly "*$($pair.Second.Id.Substring(0, 12)) ($($pair.Second.Name))*"
        (Get-DockerCliResult network inspect $pair.First.Name).ExitCode | Should -Be 0
        (Get-DockerCliResult network inspect $pair.Second.Name).ExitCode | Should -Be 0
    }
}

Describe 'New-DockerNetwork with a driver the engine does not have' {
    It 'is NetworkDriverNotFound, listing the engine''s drivers, before the engine waits for a plugin' {
        $name = New-TestName 'driverless'
        $driver = "dockerps-no-such-driver-$runId"
        $null = New-DockerNetwork -Name $name -Driver $driver -Label $label -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0] | Get-TestErrorId | Should -BeExactly 'NetworkDriverNotFound'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -BeExactly $driver
        $err[0].Exception.Message | Should -BeLikeExactly "*no network driver '$driver'*"
        $known = "$(Invoke-DockerCli info --format '{{range .Plugins.Network}}{{.}} {{end}}')".Split(' ', [System.StringSplitOptions]::RemoveEmptyEntries)
        $known | Should -Not -BeNullOrEmpty
        foreach ($driverName in $known) {
            $err[0].Exception.Message | Should -BeLikeExactly "*$driverName*"
        }
        (Get-DockerCliResult network inspect $name).ExitCode | Should -Not -Be 0

        # The engine was never asked: it logs each wait for a plugin it cannot find (15 s of them).
        $log = if ($env:DOCKERPS_ENGINE_LOG) { $env:DOCKERPS_ENGINE_LOG } else { '/var/log/dockerps-dockerd.log' }
        $log | Should -Exist -Because 'start-engine.sh writes the engine log there'
        Get-Content -Raw -LiteralPath $log | Should -Not -BeLikeExactly "*Unable to locate plugin: $driver*"
    }
}

Describe 'A taken container name' {
    It 'Rename-DockerContainer advises another -NewName; New-DockerContainer advises another -Name' {
        $first = New-TestName 'rename-first'
        $second = New-TestName 'rename-second'
        $null = Invoke-DockerCli create --name $first --label $label $image true
        $null = Invoke-DockerCli create --name $second --label $label $image true
        $firstId = Invoke-DockerCli container inspect --format '{{.Id}}' $first
        $null = Rename-DockerContainer -Container $first -NewName $second -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0] | Get-TestErrorId | Should -BeExactly 'ContainerNameInUse'
        $err[0].Exception.Message | Should -BeLikeExactly '*another -NewName*'
        $err[0].Exception.Message | Should -Not -BeLikeExactly '*-Name,*'
        Invoke-DockerCli container inspect --format '{{.Id}}' $first | Should -Be $firstId

        $null = New-DockerContainer -Image $image -Name $second -Label $label -ErrorVariable createErr -ErrorAction SilentlyContinue
        $createErr.Count | Should -Be 1
        $createErr[0] | Get-TestErrorId | Should -BeExactly 'ContainerNameInUse'
        $createErr[0].Exception.Message | Should -BeLikeExactly '*another -Name,*'
    }
}

Describe 'A registry that refuses the credential' {
    BeforeAll {
        $script:registry = Get-TestRegistry
        $script:config = $env:DOCKER_CONFIG
        # No docker CLI login may stand in for the credentials below.
        $env:DOCKER_CONFIG = (New-Item -ItemType Directory -Path (New-TestPath 'emptycfg')).FullName
        $script:remote = "$($registry.AUTH_REGISTRY)/dockerps-test/credential:$runId"
        $script:user = $registry.AUTH_USER
        function New-TestCredential([string] $Secret) {
            [pscredential]::new($user, (ConvertTo-SecureString -String $Secret -AsPlainText -Force))
        }
    }

    AfterAll {
        $env:DOCKER_CONFIG = $config
        $null = Get-DockerCliResult rmi $remote
    }

    It 'Request-DockerImage and Publish-DockerImage say the credential given with -Credential was refused; without one, they advise -Credential' {
        $password = (Get-Content -Raw -LiteralPath $registry.AUTH_PASSWORD_FILE).Trim()
        $null = Invoke-DockerCli tag $image $remote
        $null = Publish-DockerImage -Name $remote -Credential (New-TestCredential $password) -ErrorVariable pushed
        $pushed | Should -BeNullOrEmpty
        $null = Invoke-DockerCli rmi $remote

        $null = Request-DockerImage -Name $remote -Credential (New-TestCredential 'not-the-password') -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0] | Get-TestErrorId | Should -BeExactly 'RegistryCredentialRefused'
        $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err[0].TargetObject | Should -BeExactly $remote
        $err[0].Exception.Message | Should -BeLikeExactly "*the credential of '$user' given with -Credential*"
        $err[0].Exception.Message | Should -Not -BeLikeExactly '*or pass -Credential*'
        Test-DockerImage $remote | Should -BeFalse

        # Push says the same; with no credential at all, the advice is to give one.
        $null = Invoke-DockerCli tag $image $remote
        $null = Publish-DockerImage -Name $remote -Credential (New-TestCredential 'not-the-password') -ErrorVariable push -ErrorAction SilentlyContinue
        $push.Count | Should -Be 1
        $push[0] | Get-TestErrorId | Should -BeExactly 'RegistryCredentialRefused'
        $push[0].Exception.Message | Should -BeLikeExactly '*given with -Credential*'
        $null = Publish-DockerImage -Name $remote -ErrorVariable none -ErrorAction SilentlyContinue
        $none.Count | Should -Be 1
        $none[0] | Get-TestErrorId | Should -BeExactly 'RegistryAccessDenied'
        $none[0].Exception.Message | Should -BeLikeExactly '*or pass -Credential*'
    }
}

Describe 'Save-DockerImage of an image that is not there' {
    It 'warns that no image could be found, not that none was given, and writes no file' {
        $path = New-TestPath 'missing.tar'
        $null = Save-DockerImage -Name dockerps-test/no-such-image:1 -Path $path -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue
        @($err | Get-TestErrorId) | Should -Be @('ImageNotFound')
        $warn.Count | Should -Be 1
        "$($warn[0])" | Should -BeLikeExactly '*could be found*'
        "$($warn[0])" | Should -Not -BeLikeExactly '*no image was given*'
        $path | Should -Not -Exist
    }
}

Describe 'A size larger than the engine takes' {
    It '<Command> says SizeTooLarge with the maximum' -ForEach @(
        @{ Command = 'New-DockerContainer -Memory 99999PB'; Script = { New-DockerContainer -Image $image -Name $name -Label $label -Memory 99999PB -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ Command = "Update-DockerContainer -Memory '99999p'"; Script = { Update-DockerContainer -Name $existing -Memory '99999p' -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ Command = 'Update-DockerContainer -MemorySwap 99999PB'; Script = { Update-DockerContainer -Name $existing -MemorySwap 99999PB -ErrorVariable err -ErrorAction SilentlyContinue } }
        @{ Command = 'Update-DockerContainer -MemoryReservation 99999999TB'; Script = { Update-DockerContainer -Name $existing -MemoryReservation 99999999TB -ErrorVariable err -ErrorAction SilentlyContinue } }
    ) {
        $name = New-TestName 'huge'
        $existing = New-TestName 'limited'
        $null = Invoke-DockerCli create --name $existing --label $label --memory 64m $image true
        # A statement-terminating error: the user's script stops at this command.
        $err = $Script | Should -Throw -PassThru
        $err | Get-TestErrorId | Should -BeExactly 'SizeTooLarge'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLikeExactly '*too large*'
        $err.Exception.Message | Should -BeLikeExactly "*$([long]::MaxValue)*"
        $err.Exception.Message | Should -Not -BeLikeExactly '*at least one byte*'
        Test-DockerContainer $name | Should -BeFalse
        Invoke-DockerCli inspect --format '{{.HostConfig.Memory}}' $existing | Should -Be "$(64MB)"
    }
}

Describe 'A -DockerHost that cannot be reached says why, in one sentence' {
    It 'a host name that does not resolve is DockerHostNameNotResolved' {
        # A label over 63 characters: the resolver refuses the name itself, so no query leaves the machine.
        $hostName = ('x' * 70) + '.invalid'
        $err = { Get-DockerContainer -DockerHost "tcp://${hostName}:2375" } | Should -Throw -PassThru
        $err | Get-TestErrorId | Should -BeExactly 'DockerHostNameNotResolved'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -BeLikeExactly "*'$hostName' did not resolve*"
        $err.Exception.Message | Should -Not -BeLikeExactly '*..*'
    }

    It 'a port nothing listens on is DockerHostUnreachable, saying nothing accepts connections' {
        $port = Get-TestFreePort
        $err = { Get-DockerImage -DockerHost "tcp://127.0.0.1:$port" } | Should -Throw -PassThru
        $err | Get-TestErrorId | Should -BeExactly 'DockerHostUnreachable'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -BeLikeExactly '*Nothing accepts connections*'
        $err.Exception.Message | Should -Not -BeLikeExactly '*..*'
    }

    It 'an engine that speaks only TLS is DockerHostRequiresTls: <_>' -ForEach 'a dockerd with --tlsverify', 'the TLS registry (a Go HTTPS server)', 'a bare TLS listener' {
        $kind = $_
        $engine = $null
        $listener = $null
        try {
            switch -Wildcard ($kind) {
                'a dockerd*' {
                    $engine = Start-TestTlsEngine
                    $endpoint = $engine.Endpoint
                }
                # It answers plain HTTP with a 400, as dockerd does.
                'the TLS registry*' { $endpoint = "tcp://$((Get-TestRegistry).AUTH_REGISTRY)" }
                # It just drops a connection that does not start with a handshake.
                'a bare*' {
                    $certificate = New-TestPath 'tls-cert.pem'
                    $key = New-TestPath 'tls-key.pem'
                    Invoke-TestNative openssl req -x509 -newkey rsa:2048 -nodes -keyout $key -out $certificate -days 1 -subj '/CN=127.0.0.1' | Out-Null
                    $listener = Start-TestTlsOnlyListener -Certificate $certificate -Key $key
                    $endpoint = "tcp://127.0.0.1:$($listener.Port)"
                }
            }
            $err = { Get-DockerContainer -DockerHost $endpoint } | Should -Throw -PassThru
            $err | Get-TestErrorId | Should -BeExactly 'DockerHostRequiresTls'
            $err.CategoryInfo.Category | Should -Be 'ConnectionError'
            $err.TargetObject | Should -BeExactly $endpoint
            $err.Exception.Message | Should -BeLikeExactly '*speaks only TLS*'
            if ($listener) {
                $listener.PlainRequests | Should -BeGreaterThan 0 -Because 'the module spoke plain HTTP to the TLS listener first'
            }
            if ($engine) {
                # It is a real engine: the docker CLI reaches it over TLS.
                $ca = Join-Path $engine.Folder 'ca.pem'
                $cli = Get-DockerCliResult -H $engine.Endpoint --tlsverify --tlscacert $ca --tlscert (Join-Path $engine.Folder 'cert.pem') --tlskey (Join-Path $engine.Folder 'key.pem') version --format '{{.Server.APIVersion}}'
                $cli.ExitCode | Should -Be 0 -Because $cli.Error
            }
        }
        finally {
            if ($listener) { $listener.Dispose() }
            if ($engine) { Stop-TestTlsEngine $engine }
        }
    }

    It 'DOCKER_TLS_VERIFY in the environment is DockerTlsVerifyNotSupported, and nothing connects to the tcp:// host' {
        # Made before DOCKER_TLS_VERIFY is set: the docker CLI heeds it too.
        $name = New-TestName 'unix'
        $id = Invoke-DockerCli create --name $name --label $label $image true
        $verify = $env:DOCKER_TLS_VERIFY
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try {
            $env:DOCKER_TLS_VERIFY = '1'
            $err = { Get-DockerContainer -DockerHost "tcp://127.0.0.1:$($listener.LocalEndpoint.Port)" } | Should -Throw -PassThru
            $err | Get-TestErrorId | Should -BeExactly 'DockerTlsVerifyNotSupported'
            $err.Exception.Message | Should -BeLikeExactly '*DOCKER_TLS_VERIFY*'
            $listener.Pending() | Should -BeFalse -Because 'nothing connected to the tcp:// host'

            # The unix socket has no TLS to ask for: it still works.
            $container = Get-DockerContainer -Name $name -DockerHost unix:///var/run/docker.sock -ErrorVariable unixErr
            $unixErr | Should -BeNullOrEmpty
            $container.Id | Should -Be $id
        }
        finally {
            $env:DOCKER_TLS_VERIFY = $verify
            $listener.Stop()
        }
    }
}

Describe 'A prompt that a non-interactive pwsh refuses' {
    It 'is PowerShell''s own InvalidOperation error, from every cmdlet that would ask, and nothing changes' {
        $container = New-TestName 'prompted'
        $null = Invoke-DockerCli create --name $container --label $label $image sleep 300
        $volume = New-TestName 'prompted-vol'
        $null = Invoke-DockerCli volume create --label $label $volume
        $network = New-TestName 'prompted-net'
        $null = Invoke-DockerCli network create --internal --label $label $network
        $tagged = "dockerps-test/prompted:$runId"
        $null = Invoke-DockerCli tag $image $tagged
        try {
            # pwsh -NonInteractive refuses every prompt with PSInvalidOperationException.
            $child = Invoke-TestPwsh -Variable @{ manifest = $ModuleManifest; container = $container; volume = $volume; network = $network; tagged = $tagged } -Script @'
Import-Module $manifest -ErrorAction Stop
$commands = @(
    { Remove-DockerContainer -Name $container }
    { Start-DockerContainer -Name $container -Confirm }
    { Rename-DockerContainer -Container $container -NewName "x$container" -Confirm }
    { Remove-DockerImage -Name $tagged }
    { Remove-DockerVolume -Name $volume }
    { Remove-DockerNetwork -Name $network }
    { Connect-DockerNetwork -Network $network -Container $container -Confirm }
)
foreach ($command in $commands) {
    $Error.Clear()
    try { $null = & $command } catch { }
    "$($Error.Count)|$($Error[0].Exception.GetType().FullName)|$($Error[0].FullyQualifiedErrorId)"
}
'@
            $child.ExitCode | Should -Be 0 -Because $child.Error
            $child.Output.Count | Should -Be 7
            foreach ($line in $child.Output) {
                $line | Should -BeLikeExactly '1|System.Management.Automation.PSInvalidOperationException|InvalidOperation,*'
            }
            Get-DockerContainerState $container | Should -Be 'created'
            Test-DockerContainer "x$container" | Should -BeFalse
            Test-DockerImage $tagged | Should -BeTrue
            (Get-DockerCliResult volume inspect $volume).ExitCode | Should -Be 0
            (Get-DockerCliResult network inspect $network).ExitCode | Should -Be 0
            Invoke-DockerCli inspect --format '{{json .NetworkSettings.Networks}}' $container | Should -Not -BeLikeExactly "*$network*"
        }
        finally {
            $null = Get-DockerCliResult rmi $tagged
        }
    }
}
