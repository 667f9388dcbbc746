using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace DockerPS
{
    /// <summary>
    /// Windows PowerShell 5.1 has no load contexts and no binding redirects for a module: when one of DockerPS's own
    /// assemblies asks for another version of an assembly that ships with the module (System.Text.Json, System.Memory…),
    /// this hands it the file in bin/ or bin/compat/. It answers only requests made by DockerPS's own files, never another
    /// module's. On PowerShell 7, DockerPS.Loader's private context resolves everything, and the module's public types
    /// get their names (<see cref="TypeNames"/>).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string BinFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        private static readonly bool IsWindowsPowerShell =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public void OnImport()
        {
            if (IsWindowsPowerShell)
            {
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
            }
            else
            {
                TypeNames.Add();
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsWindowsPowerShell)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
            }
            else
            {
                TypeNames.Remove();
            }
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            if (args.RequestingAssembly == null || !IsOwn(args.RequestingAssembly))
            {
                return null;
            }

            string file = new AssemblyName(args.Name).Name + ".dll";
            foreach (string folder in new[] { BinFolder, Path.Combine(BinFolder, "compat") })
            {
                string path = Path.Combine(folder, file);
                if (File.Exists(path))
                {
                    return Assembly.LoadFrom(path);
                }
            }

            return null;
        }

        private static bool IsOwn(Assembly assembly) =>
            !assembly.IsDynamic && assembly.Location.StartsWith(BinFolder + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase);
    }
}
