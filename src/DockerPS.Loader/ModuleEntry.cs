using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace DockerPS.Loading
{
    /// <summary>
    /// What DockerPS.psm1 calls, once per import, in one expression: on a first import every statement and every call the
    /// script makes costs PowerShell milliseconds of its own start-up work, so the choices (which edition, first import or
    /// not) are made here instead, and the script stays one line.
    /// </summary>
    public static class ModuleEntry
    {
        private const string ImportAgainScript = "param($assembly) Import-Module -Assembly $assembly -Force -PassThru";

        private static int imports;

        /// <summary>
        /// DockerPS.dll, for DockerPS.psm1 to import: on PowerShell 7 from the private load context, on Windows PowerShell
        /// 5.1 from the bin folder. From the second import of a process on, it is imported into the calling module here
        /// already, with the cmdlets PowerShell would leave out (see below); the script's own import then changes nothing.
        /// </summary>
        /// <param name="sessionState">The calling module's session state ($ExecutionContext.SessionState).</param>
        public static Assembly ModuleAssembly(SessionState sessionState)
        {
            if (sessionState?.Module == null)
            {
                throw new ArgumentException("DockerPS.Loader gives DockerPS.dll to the DockerPS module's script only.", nameof(sessionState));
            }

            Assembly assembly = IsCore() ? FromLoadContext() : FromBinFolder();
            if (Interlocked.Increment(ref imports) > 1)
            {
                // Imported before in this process: PowerShell then leaves the calling module without the cmdlets it
                // imports by assembly (PowerShell/PowerShell#20710), so they are added to its exports here.
                foreach (PSObject result in sessionState.InvokeCommand.InvokeScript(sessionState, ScriptBlock.Create(ImportAgainScript), assembly))
                {
                    if (result?.BaseObject is PSModuleInfo inner)
                    {
                        AddExports(sessionState.Module, inner);
                    }
                }
            }

            return assembly;
        }

        private static bool IsCore() => typeof(object).Assembly.GetName().Name != "mscorlib";

        // Kept apart so that Windows PowerShell, which has no load contexts, never compiles a use of one.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Assembly FromLoadContext() => ModuleLoadContext.Instance.ModuleAssembly;

        private static Assembly FromBinFolder() =>
            Assembly.LoadFrom(Path.Combine(Path.GetDirectoryName(typeof(ModuleEntry).Assembly.Location)!, "bin", "DockerPS.dll"));

        private static void AddExports(PSModuleInfo module, PSModuleInfo inner)
        {
            MethodInfo? add = typeof(PSModuleInfo).GetMethod("AddExportedCmdlet", BindingFlags.Instance | BindingFlags.NonPublic);
            if (add == null)
            {
                return;
            }

            foreach (CmdletInfo cmdlet in inner.ExportedCmdlets.Values)
            {
                add.Invoke(module, new object[] { cmdlet });
            }
        }
    }
}
