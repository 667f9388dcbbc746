using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace DockerPS
{
    /// <summary>
    /// Windows PowerShell 5.1 has no binding redirects for a module: when a dependency asks for another version of an
    /// assembly that ships beside DockerPS.dll (System.Text.Json, System.Memory…), this hands it the one we ship.
    /// PowerShell 7 resolves these itself, so the handler only acts for files that exist in the module folder.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            string file = Path.Combine(ModuleFolder, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(file) ? Assembly.LoadFrom(file) : null;
        }
    }
}
