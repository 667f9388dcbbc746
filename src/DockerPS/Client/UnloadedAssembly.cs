using System;
using System.IO;
using System.Reflection;

namespace DockerPS.Client
{
    /// <summary>
    /// The fact that an assembly of the module could not be loaded, found in an exception's chain: a broken installation,
    /// never an engine that did not answer. Client keeps such a failure as it is; Errors/ words it.
    /// </summary>
    internal static class UnloadedAssembly
    {
        /// <summary>The exception that says an assembly did not load, and that assembly's name; null when none does.</summary>
        public static Exception? Find(Exception exception, out AssemblyName? name)
        {
            for (Exception? current = exception; current != null; current = current.InnerException)
            {
                string? fileName = current switch
                {
                    FileNotFoundException missing => missing.FileName,
                    FileLoadException unloadable => unloadable.FileName,
                    BadImageFormatException damaged => damaged.FileName,
                    _ => null,
                };
                name = AssemblyNameOf(fileName);
                if (name != null)
                {
                    return current;
                }
            }

            name = null;
            return null;
        }

        // The loader puts the assembly's display name ("Name, Version=…, Culture=…") in FileName; a plain file that is
        // missing (a -Path the user gave, a certificate) has a path there, with no version.
        private static AssemblyName? AssemblyNameOf(string? fileName)
        {
            if (string.IsNullOrEmpty(fileName) || fileName!.IndexOf(", Version=", StringComparison.Ordinal) < 0)
            {
                return null;
            }

            try
            {
                return new AssemblyName(fileName);
            }
            catch (Exception ex) when (ex is FileLoadException || ex is ArgumentException)
            {
                return null;
            }
        }
    }
}
