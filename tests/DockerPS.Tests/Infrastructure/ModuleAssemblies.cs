using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using DockerPS.Loading;

namespace DockerPS.Tests.Infrastructure;

/// <summary>
/// The units use the module's own types (tar codec, build context, facts…), loaded as PowerShell 7 loads them: in the
/// module's private load context (DockerPS.Loader's), so DockerPS.dll and its dependencies resolve to that context's
/// copies from out/DockerPS/bin, and DockerPS.Loader to the file in out/DockerPS, the folder Import-Module loads from.
/// </summary>
internal static class ModuleAssemblies
{
    [ModuleInitializer]
    internal static void Register()
    {
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string? folder = ModuleFolder();
            if (folder == null)
            {
                return null;
            }

            if (name.Name == "DockerPS.Loader")
            {
                return context.LoadFromAssemblyPath(Path.Combine(folder, "DockerPS.Loader.dll"));
            }

            return File.Exists(Path.Combine(folder, "bin", name.Name + ".dll")) ? FromModuleContext(name) : null;
        };
    }

    // Apart from Register's handler, so that resolving DockerPS.Loader itself never needs the handler to be compiled.
    private static Assembly FromModuleContext(AssemblyName name) => ModuleLoadContext.Instance.LoadFromAssemblyName(name);

    private static string? ModuleFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "out", "DockerPS");
            if (File.Exists(Path.Combine(candidate, "DockerPS.Loader.dll")))
            {
                return candidate;
            }
        }

        return null;
    }
}
