using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using DockerPS.Client;

namespace DockerPS.Errors
{
    /// <summary>
    /// An assembly of the module that could not be loaded (a file missing, damaged, or of another version): a broken
    /// installation, told as such with the assembly's name and version and where DockerPS looked, never as an engine
    /// that did not answer. Every cmdlet would fail the same way, so the error ends the cmdlet.
    /// </summary>
    internal static class AssemblyLoadFailure
    {
        /// <summary>The module's bin folder, where DockerPS.dll and its dependencies are.</summary>
        private static readonly string BinFolder = Path.GetDirectoryName(typeof(AssemblyLoadFailure).Assembly.Location) ?? ".";

        /// <summary>True when an assembly could not be loaded somewhere in the exception's chain.</summary>
        public static bool Is(Exception exception) => UnloadedAssembly.Find(exception, out _) != null;

        /// <summary>The error for an assembly that could not be loaded, or null when that is not what happened.</summary>
        public static DockerPSException? ToDockerPSException(Exception exception)
        {
            Exception? failure = UnloadedAssembly.Find(exception, out AssemblyName? name);
            if (failure == null || name == null)
            {
                return null;
            }

            string file = name.Name + ".dll";
            string compat = Path.Combine(BinFolder, "compat");
            string? found = File.Exists(Path.Combine(BinFolder, file)) ? Path.Combine(BinFolder, file)
                : File.Exists(Path.Combine(compat, file)) ? Path.Combine(compat, file)
                : null;
            string what = found == null
                ? $"there is no {file} there"
                : $"{found} is there but could not be loaded ({Innermost(failure).Message.TrimEnd('.')})";
            return new DockerPSException(ErrorIds.AssemblyLoadFailed, ErrorCategory.ResourceUnavailable, name.FullName,
                $"DockerPS could not load the assembly {name.Name}, version {name.Version}: it looked in {BinFolder} and {compat}, then among the assemblies of PowerShell and its .NET runtime, and {what}. " +
                "The module's files are incomplete or damaged: install DockerPS again (or rebuild out/DockerPS).", failure)
            {
                IsHostFailure = true,
            };
        }

        private static Exception Innermost(Exception exception) =>
            exception.InnerException == null ? exception : Innermost(exception.InnerException);
    }
}
