# Which engine the cmdlets talk to, in real pwsh: -DockerHost (a URI, a socket path or a DockerHost object), the
# DOCKER_HOST and DOCKER_TLS_VERIFY environment variables, docker contexts, a second engine, and the host every result
# carries. Ground truth comes from docker version and the docker CLI at each engine.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Initialize-DockerPSTest
    . (Join-Path $PSScriptRoot 'Engine.Support.ps1')
    $engineApi = [version](Invoke-DockerCli version --format '{{.Server.APIVersion}}')
    $engineVersion = Invoke-DockerCli version --format '{{.Server.Version}}'
    $engineOs = Invoke-DockerCli version --format '{{.Server.Os}}'
    $imageId = Invoke-DockerCli image inspect --format '{{.Id}}' (Get-TestBaseImage)

    # Sets environment variables for the script block and puts them back as they were afterwards (the docker CLI reads
    # them too, so no ground truth is fetched inside).
    function Invoke-WithEnvironment([hashtable] $Variable, [scriptblock] $ScriptBlock) {
        $before = @{}
        foreach ($key in $Variable.Keys) { $before[$key] = [Environment]::GetEnvironmentVariable($key) }
        try {
            foreach ($key in $Variable.Keys) { [Environment]::SetEnvironmentVariable($key, $Variable[$key]) }
            & $ScriptBlock
        }
        finally {
            foreach ($key in $before.Keys) { [Environment]::SetEnvironmentVariable($key, $before[$key]) }
        }
    }
}

AfterAll {
    Remove-TestResource
}

Describe 'The host a result carries' {
    It 'is the default engine, with the API version and engine version it negotiated' {
        $image = @(Get-DockerImage dockerps-test/busybox)
        $image.Count | Should -Be 1
        $image[0].Id | Should -BeExactly $imageId
        $image[0].DockerHost.ApiVersion | Should -Be $engineApi
        $image[0].DockerHost.EngineVersion | Should -BeExactly $engineVersion
        $image[0].DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Default)
    }

    It 'is the same engine whether -DockerHost is a URI, a socket path or a DockerHost object' {
        $hostObject = (Get-DockerImage dockerps-test/busybox).DockerHost
        foreach ($dockerHost in 'unix:///var/run/docker.sock', '/var/run/docker.sock', $hostObject) {
            $image = @(Get-DockerImage dockerps-test/busybox -DockerHost $dockerHost -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $image.Count | Should -Be 1
            $image[0].Id | Should -BeExactly $imageId
        }
    }

    It 'refuses -DockerHost with a scheme it cannot speak, naming it' {
        $thrown = { Get-DockerImage -DockerHost 'ftp://example' } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -BeLike 'CannotConvertArgument*'
        $thrown.Exception.Message | Should -Match 'ftp'
    }
}

Describe 'A DockerHost object' {
    It 'stays as it was made, while the results show the engine the connection negotiated' {
        $made = [DockerPS.DockerHost]'unix:///var/run/docker.sock'
        $image = @(Get-DockerImage dockerps-test/busybox -DockerHost $made -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $image.Count | Should -Be 1

        # The caller's object was not written to.
        $made.ApiVersion | Should -BeNullOrEmpty
        $made.EngineVersion | Should -BeNullOrEmpty
        $made.OSType | Should -BeNullOrEmpty
        $image[0].DockerHost.ApiVersion | Should -Be $engineApi
        $image[0].DockerHost.OSType | Should -BeExactly $engineOs
        $image[0].DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Parameter)
        $image[0].DockerHost | Should -Be $made
    }

    It 'cannot be changed: every property is read-only' {
        $made = [DockerPS.DockerHost]'unix:///var/run/docker.sock'
        [DockerPS.DockerHost].GetProperties() | Where-Object { $_.SetMethod } | Should -BeNullOrEmpty
        { $made.ApiVersion = [version]'1.41' } | Should -Throw
        $made.ApiVersion | Should -BeNullOrEmpty
    }
}

Describe 'The environment' {
    It 'DOCKER_HOST chooses the default engine' {
        Invoke-WithEnvironment @{ DOCKER_HOST = 'unix:///tmp/dockerps-env-missing.sock' } {
            # No engine to ask: the command stops.
            $thrown = { Get-DockerContainer } | Should -Throw -PassThru
            $thrown.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ConnectionError)
            $thrown.Exception.Message | Should -Match ([regex]::Escape('/tmp/dockerps-env-missing.sock'))
        }

        $created = New-TestName 'envhost'
        $null = Invoke-DockerCli create --name $created --label (Get-TestLabel) (Get-TestBaseImage) true
        Invoke-WithEnvironment @{ DOCKER_HOST = 'unix:///var/run/docker.sock' } {
            $containers = @(Get-DockerContainer -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $containers.Name | Should -Contain $created
            $containers | ForEach-Object { $_.DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Environment) }
        }
    }

    It 'DOCKER_TLS_VERIFY is refused clearly, not spoken in plain text' {
        Invoke-WithEnvironment @{ DOCKER_HOST = 'tcp://127.0.0.1:2376'; DOCKER_TLS_VERIFY = '1' } {
            $thrown = { Get-DockerImage } | Should -Throw -PassThru
            $record = Assert-TestError $thrown -Id DockerTlsVerifyNotSupported -Category NotImplemented -AnyTarget
            $record.Exception.Message | Should -Match 'DOCKER_TLS_VERIFY'
        }
    }
}

Describe 'A second engine' {
    BeforeAll {
        $second = Get-TestSecondEngine
        $onSecond = New-TestName 'second'
        $null = Invoke-DockerCli -H $second create --name $onSecond --label (Get-TestLabel) (Get-TestBaseImage) true
        $secondId = Invoke-DockerCli -H $second container inspect --format '{{.Id}}' $onSecond
        $secondVersion = Invoke-DockerCli -H $second version --format '{{.Server.Version}}'

        # A docker CLI configuration of its own, with a context that points at the second engine.
        $config = (New-Item -ItemType Directory -Path (New-TestPath 'docker-config')).FullName
        $context = "dockerps-second-$(Get-TestRunId)"
        $null = Invoke-DockerCli --config $config context create $context --docker "host=$second"

        # The containers the default engine's cmdlets see, by name, for -Name lookups that must find nothing.
        function Get-ContainerName { @(Get-DockerContainer | ForEach-Object Name) }
    }

    AfterAll {
        Remove-TestResource -DockerHost $second
    }

    It '-DockerHost reaches it, and what comes back carries it' {
        $found = @(Get-DockerContainer -Name $onSecond -DockerHost $second -ErrorVariable err)
        $err | Should -BeNullOrEmpty
        $found.Count | Should -Be 1
        $found[0].Id | Should -BeExactly $secondId
        "$($found[0].DockerHost)" | Should -BeExactly $second
        $found[0].DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Parameter)
        $found[0].DockerHost.EngineVersion | Should -BeExactly $secondVersion
        Test-DockerContainer $onSecond | Should -BeFalse -Because 'the container is on the second engine only'
        Get-ContainerName | Should -Not -Contain $onSecond
    }

    It 'DOCKER_CONTEXT chooses it through the context''s endpoint' {
        Invoke-WithEnvironment @{ DOCKER_CONFIG = $config; DOCKER_CONTEXT = $context; DOCKER_HOST = $null } {
            $found = @(Get-DockerContainer -Name $onSecond -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $found.Count | Should -Be 1
            $found[0].Id | Should -BeExactly $secondId
            $found[0].DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Context)
            $found[0].DockerHost.ContextName | Should -BeExactly $context
            "$($found[0].DockerHost)" | Should -BeExactly $second
        }
    }

    It 'the current context of the docker configuration (docker context use) chooses it, and DOCKER_HOST wins over it' {
        $null = Invoke-DockerCli --config $config context use $context
        Get-Content -Raw -LiteralPath (Join-Path $config 'config.json') | ConvertFrom-Json | ForEach-Object currentContext | Should -BeExactly $context
        Invoke-WithEnvironment @{ DOCKER_CONFIG = $config; DOCKER_CONTEXT = $null; DOCKER_HOST = $null } {
            $found = @(Get-DockerContainer -Name $onSecond -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $found.Count | Should -Be 1
            $found[0].Id | Should -BeExactly $secondId
            $found[0].DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Context)
        }
        Invoke-WithEnvironment @{ DOCKER_CONFIG = $config; DOCKER_CONTEXT = $null; DOCKER_HOST = 'unix:///var/run/docker.sock' } {
            $names = @(Get-DockerContainer | ForEach-Object Name)
            $names | Should -Not -Contain $onSecond
            (Get-DockerImage dockerps-test/busybox).DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Environment)
        }
        # Without the configuration, the default engine again.
        Get-ContainerName | Should -Not -Contain $onSecond
        (Get-DockerImage dockerps-test/busybox).DockerHost.Source | Should -Be ([DockerPS.DockerHostSource]::Default)
    }
}
