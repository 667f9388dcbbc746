# The module's entry point: it imports the cmdlets of bin/DockerPS.dll (a script module exports the cmdlets it imports).
#
# PowerShell 7: DockerPS.dll and its dependencies (Docker.DotNet*, Microsoft.Extensions.*…) load in a private
# AssemblyLoadContext made by DockerPS.Loader.dll (the only DockerPS assembly in PowerShell's shared context), so another
# module's copy of any of them, older or newer, loaded before or after DockerPS, does not matter. The whole module lives
# in that context, cmdlets and models together, so piped objects bind to cmdlet parameters of the very same types.
# PowerShell does not resolve type names in private contexts, so DockerPS.dll names its public types itself when imported
# (src/DockerPS/TypeNames.cs): [DockerPS.DockerImage], -is [DockerPS.DockerContainer] and the format and type files'
# [DockerPS.Display]::Size(...) keep working as before. Keep this script short: its every statement adds to import time.
# (A manifest whose RootModule names DockerPS by assembly name, answered by a loader in NestedModules, would need no
# script, but Test-ModuleManifest, and so publishing, refuses a root module that is not a file of the module.)
#
# Windows PowerShell 5.1 has no load contexts: DockerPS.dll is imported directly, and its module initializer resolves only
# the requests of DockerPS's own assemblies to the files beside it (see README, "Windows PowerShell 5.1").

if ($PSEdition -eq 'Core') {
    # Set by DockerPS.Loader when it makes the context (ModuleLoadContext.ProcessSlot): a cheap way to ask whether this
    # process imported DockerPS before.
    $loaded = [System.AppDomain]::CurrentDomain.GetData('DockerPS.ModuleLoadContext')
    $context = $loaded
    if (-not $context) {
        # Not Add-Type: hosts made with InitialSessionState.CreateDefault2 have only the core cmdlets.
        $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'DockerPS.Loader.dll'))
        $context = [DockerPS.Loading.ModuleLoadContext]::Instance
    }

    $inner = Import-Module -Assembly $context.ModuleAssembly -Force -PassThru
    if ($loaded) {
        # Imported before in this process: PowerShell then leaves this module without the cmdlets it imports by
        # assembly (PowerShell/PowerShell#20710), so they are added to its exports here.
        $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
        foreach ($cmdlet in $inner.ExportedCmdlets.Values) {
            $null = $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
        }
    }
}
else {
    Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'DockerPS.dll'))
}
