using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace DockerPS.Tests.Infrastructure;

/// <summary>
/// The tests use the module's types (DockerImage, DockerContainer…) to assert on what pipelines return. Those types
/// must be the very ones the imported module produces, so DockerPS.dll and its dependencies resolve to the files in
/// out/DockerPS, the folder Import-Module loads from.
/// </summary>
internal static class ModuleAssemblies
{
    [ModuleInitializer]
    internal static void Register()
    {
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string? folder = ModuleFolder();
            string file = folder == null ? string.Empty : Path.Combine(folder, name.Name + ".dll");
            return File.Exists(file) ? context.LoadFromAssemblyPath(file) : null;
        };
    }

    private static string? ModuleFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "out", "DockerPS");
            if (File.Exists(Path.Combine(candidate, "DockerPS.dll")))
            {
                return candidate;
            }
        }

        return null;
    }
}
