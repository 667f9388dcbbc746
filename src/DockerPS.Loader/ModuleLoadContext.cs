using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace DockerPS.Loading
{
    /// <summary>
    /// The private load context of DockerPS on PowerShell 7: DockerPS.dll and every dependency in the module's bin folder
    /// (Docker.DotNet*, Microsoft.Extensions.*…) load here, so another module's older or newer copy of one of them, loaded
    /// before or after DockerPS, is never used by DockerPS and never disturbed by it. What the runtime provides
    /// (System.*, System.Management.Automation) comes from PowerShell's own context, so objects and cmdlets keep PowerShell's
    /// types. The whole module lives here, not only its dependencies, so that the cmdlets, the objects they write and the
    /// parameters those objects bind to share one copy of every type (TypeNames.cs in DockerPS.dll keeps them nameable).
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly Lazy<ModuleLoadContext> Shared = new Lazy<ModuleLoadContext>(
            () => new ModuleLoadContext(Path.Combine(Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location)!, "bin")));

        private ModuleLoadContext(string binFolder)
        {
            BinFolder = binFolder;
            CompatFolder = Path.Combine(binFolder, "compat");
        }

        /// <summary>The one context of the process: importing the module again (or from a second runspace) reuses it.</summary>
        public static ModuleLoadContext Instance => Shared.Value;

        /// <summary>DockerPS.dll and the dependencies no PowerShell 7 runtime provides.</summary>
        public string BinFolder { get; }

        /// <summary>
        /// System.* and Microsoft.Bcl.* builds for Windows PowerShell 5.1, which lacks them; here they are used only when
        /// the runtime's own copy is older than the one asked for (PowerShell 7.4 has System.Text.Json 8, DockerPS asks for 9).
        /// </summary>
        public string CompatFolder { get; }

        /// <summary>DockerPS.dll, loaded in this context.</summary>
        public Assembly ModuleAssembly => LoadFromAssemblyName(new AssemblyName("DockerPS"));

        /// <inheritdoc/>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string file = assemblyName.Name + ".dll";
            string own = Path.Combine(BinFolder, file);
            if (File.Exists(own))
            {
                return LoadOwn(own, assemblyName);
            }

            string compat = Path.Combine(CompatFolder, file);
            if (File.Exists(compat) && !RuntimeProvides(assemblyName))
            {
                return LoadOwn(compat, assemblyName);
            }

            // The runtime's and PowerShell's assemblies come from the shared context.
            return null;
        }

        private static bool RuntimeProvides(AssemblyName assemblyName)
        {
            try
            {
                Default.LoadFromAssemblyName(assemblyName);
                return true;
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is FileLoadException)
            {
                return false;
            }
        }

        private Assembly LoadOwn(string path, AssemblyName requested)
        {
            try
            {
                return LoadFromAssemblyPath(path);
            }
            catch (BadImageFormatException ex)
            {
                // The runtime's message names only the file; this one also names what was asked for.
                throw new FileLoadException($"{path} is not a valid assembly: {ex.Message}", requested.FullName, ex);
            }
        }
    }
}
