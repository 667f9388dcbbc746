using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace DockerPS.Loading
{
    /// <summary>
    /// The manifest imports DockerPS.Loader.dll as a nested module before its root module, which it names by assembly
    /// name ("DockerPS"), not by path: PowerShell then asks the runtime for an assembly of that name, and this answers,
    /// only for that one name (no other module ships an assembly called DockerPS). On PowerShell 7 the answer is
    /// DockerPS.dll in <see cref="ModuleLoadContext"/>, the documented pattern for resolving module dependency
    /// conflicts; no script runs, so Import-Module stays as fast as for a plain binary module. On Windows PowerShell 5.1
    /// it is bin/DockerPS.dll, whose own initializer resolves its dependencies there.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        /// <summary>The name the manifest's RootModule gives.</summary>
        public const string ModuleAssemblyName = "DockerPS";

        private static readonly bool IsWindowsPowerShell =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static bool registered;

        /// <inheritdoc/>
        public void OnImport()
        {
            // Once a process: the context and the handler outlive any one import.
            if (registered)
            {
                return;
            }

            registered = true;
            if (IsWindowsPowerShell)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveOnWindowsPowerShell;
            }
            else
            {
                RegisterOnPowerShell7();
            }
        }

        // Apart, so that Windows PowerShell never compiles code that names AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterOnPowerShell7() =>
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                name.Name == ModuleAssemblyName ? ModuleLoadContext.Instance.ModuleAssembly : null;

        private static Assembly? ResolveOnWindowsPowerShell(object? sender, ResolveEventArgs args)
        {
            if (new AssemblyName(args.Name).Name != ModuleAssemblyName)
            {
                return null;
            }

            string path = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "bin", ModuleAssemblyName + ".dll");
            return Assembly.LoadFrom(path);
        }
    }
}
