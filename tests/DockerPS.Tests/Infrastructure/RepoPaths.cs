namespace DockerPS.Tests.Infrastructure;

/// <summary>Where the repository is, found from the test assembly's folder upwards.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>The folder with DockerPS.psd1 and src/.</summary>
    public static string Root => RootFolder.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DockerPS.psd1")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (the folder with DockerPS.psd1) above " + AppContext.BaseDirectory);
    }
}
