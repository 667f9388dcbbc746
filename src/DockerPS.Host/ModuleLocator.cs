using System;
using System.IO;

namespace DockerPS.Hosting;

/// <summary>Finds the DockerPS module manifest to import when none is named on the command line.</summary>
internal static class ModuleLocator
{
    internal const string EnvironmentVariable = "DOCKERPS_MODULE";

    /// <summary>Where the build puts the module, relative to the repository root.</summary>
    internal static readonly string ManifestInRepository = Path.Combine("out", "DockerPS", "DockerPS.psd1");

    /// <summary>
    /// The manifest named by <see cref="EnvironmentVariable"/> if that is set, else the first
    /// <see cref="ManifestInRepository"/> found in <paramref name="startDirectory"/> or a folder above it, else null.
    /// </summary>
    internal static string? FindDefault(string startDirectory, out string source)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            source = $"the environment variable {EnvironmentVariable}";
            return fromEnvironment;
        }

        source = $"a folder above {startDirectory}";
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, ManifestInRepository);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
