# The module's entry point: it imports the cmdlets of bin/DockerPS.dll (a script module exports the cmdlets it imports).
#
# PowerShell 7: DockerPS.dll and its dependencies (Docker.DotNet*, Microsoft.Extensions.*…) load in a private
# AssemblyLoadContext made by DockerPS.Loader.dll (the manifest's RequiredAssemblies, the only DockerPS assembly in
# PowerShell's shared context), so another module's copy of any of them, older or newer, loaded before or after
# DockerPS, does not matter. The whole module lives in that context, cmdlets and models together, so piped objects bind
# to cmdlet parameters of the very same types. PowerShell does not resolve type names in private contexts, so
# DockerPS.dll names its public types itself when imported (src/DockerPS/TypeNames.cs): [DockerPS.DockerImage],
# -is [DockerPS.DockerContainer] and the format and type files' [DockerPS.Display]::Size(...) keep working as before.
# Keep this script one expression: on a first import every statement costs PowerShell milliseconds of its own start-up
# work, so DockerPS.Loader makes the choices (edition, first import or not) and hands over DockerPS.dll (the benchmark
# times it). (A manifest whose RootModule names DockerPS by assembly name, answered by a loader in
# NestedModules, would need no script, but Test-ModuleManifest, and so publishing, refuses a root module that is not a
# file of the module.)
#
# Windows PowerShell 5.1 has no load contexts: DockerPS.dll is imported from bin directly, and its module initializer
# resolves only the requests of DockerPS's own assemblies to the files beside it (see README, "Windows PowerShell 5.1").

Import-Module -Assembly ([DockerPS.Loading.ModuleEntry]::ModuleAssembly($ExecutionContext.SessionState))
