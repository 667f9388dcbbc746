using System.Diagnostics;

namespace DockerPS.Tests;

/// <summary>
/// The lifecycle tests are in tests/pester/ContainerLifecycle.Tests.ps1 now; what is left is the retry helper that
/// ContainerDetailTests still calls. It goes with that file's last caller.
/// </summary>
internal static class ContainerLifecycleTests
{
    /// <summary>Retries until the value is what the test waits for (a state the engine reaches in its own time).</summary>
    internal static T Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            T value = read();
            if (done(value))
            {
                return value;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new Xunit.Sdk.XunitException($"Still not there after a minute: {value}");
            }

            Thread.Sleep(100);
        }
    }
}
