# The module's entry point: it imports the cmdlets of bin/DockerPS.dll.
#
# PowerShell 7: DockerPS.dll and its dependencies (Docker.DotNet*, Microsoft.Extensions.*…) load in a private
# AssemblyLoadContext made by DockerPS.Loader.dll (the only DockerPS assembly in PowerShell's shared context), so another
# module's copy of any of them, older or newer, loaded before or after DockerPS, does not matter. The whole module lives
# in that context, cmdlets and models together, so piped objects bind to cmdlet parameters of the very same types.
# PowerShell does not resolve type names in private contexts, so each public type of DockerPS.dll is registered as a type
# accelerator under its full name: [DockerPS.DockerImage], -is [DockerPS.DockerContainer] and the format and type files'
# [DockerPS.Display]::Size(...) keep working as before. They go when the module is removed from the last runspace.
#
# Windows PowerShell 5.1 has no load contexts: DockerPS.dll is imported directly, and its module initializer resolves only
# the requests of DockerPS's own assemblies to the files beside it (see README, "Windows PowerShell 5.1").

if ($PSEdition -eq 'Core') {
    if (-not ('DockerPS.Loading.ModuleLoadContext' -as [type])) {
        # Not Add-Type: hosts made with InitialSessionState.CreateDefault2 have only the core cmdlets.
        $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'DockerPS.Loader.dll'))
    }

    $context = [DockerPS.Loading.ModuleLoadContext]::Instance
    $inner = Import-Module -Assembly $context.ModuleAssembly -PassThru -Force
    $context.AddTypeNames()
    $ExecutionContext.SessionState.Module.OnRemove = { [DockerPS.Loading.ModuleLoadContext]::Instance.RemoveTypeNames() }
}
else {
    $inner = Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'DockerPS.dll')) -PassThru
}

Export-ModuleMember -Cmdlet @($inner.ExportedCmdlets.Keys)
