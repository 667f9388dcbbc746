@{
    RootModule           = 'DockerPS.psm1'
    # Loaded before the root module runs, so DockerPS.psm1 need not load it itself (PowerShell 7 uses it; see DockerPS.psm1).
    RequiredAssemblies   = @('DockerPS.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0c7d3e-2f5a-4c86-9a57-2d7f3b0e9c41'
    Author               = 'DockerPS contributors'
    CompanyName          = 'DockerPS'
    Copyright            = '(c) DockerPS contributors. MIT License.'
    Description          = 'Manage Docker engines with binary cmdlets that return typed objects and pipe into each other: images, registries, containers, exec, logs, volumes and networks, over Unix sockets and named pipes.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('DockerPS.Format.ps1xml', 'DockerPS.Lifecycle.Format.ps1xml', 'DockerPS.Streams.Format.ps1xml', 'DockerPS.Volume.Format.ps1xml', 'DockerPS.Network.Format.ps1xml', 'DockerPS.ContainerInspection.Format.ps1xml')
    TypesToProcess       = @('DockerPS.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-DockerImage'
        'Get-DockerImageHistory'
        'Request-DockerImage'
        'Publish-DockerImage'
        'Add-DockerImageTag'
        'Remove-DockerImage'
        'Clear-DockerImage'
        'Find-DockerImage'
        'Build-DockerImage'
        'ConvertTo-DockerImage'
        'Save-DockerImage'
        'Import-DockerImage'
        'Get-DockerContainer'
        'New-DockerContainer'
        'Start-DockerContainer'
        'Stop-DockerContainer'
        'Restart-DockerContainer'
        'Suspend-DockerContainer'
        'Resume-DockerContainer'
        'Rename-DockerContainer'
        'Update-DockerContainer'
        'Clear-DockerContainer'
        'Remove-DockerContainer'
        'Invoke-DockerExec'
        'Invoke-DockerContainer'
        'Wait-DockerContainer'
        'Get-DockerContainerLog'
        'Enter-DockerContainer'
        'Get-DockerContainerProcess'
        'Get-DockerContainerStats'
        'Get-DockerContainerChange'
        'Copy-DockerContainerItem'
        'Export-DockerContainer'
        'Connect-DockerRegistry'
        'Disconnect-DockerRegistry'
        'Get-DockerVolume'
        'New-DockerVolume'
        'Remove-DockerVolume'
        'Clear-DockerVolume'
        'Backup-DockerVolume'
        'Restore-DockerVolume'
        'Get-DockerNetwork'
        'New-DockerNetwork'
        'Remove-DockerNetwork'
        'Connect-DockerNetwork'
        'Disconnect-DockerNetwork'
        'Clear-DockerNetwork'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Docker', 'Container', 'Containers', 'DevOps', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux')
            ProjectUri   = 'https://github.com/DockerPS/DockerPS'
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Images and registries, containers (lifecycle, run, exec, logs, stats, copy, export), volumes with backup and restore, networks.'
        }
    }
}
