using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DockerPS.Benchmarks;

/// <summary>The real PowerShell engine with the built module imported, the way a user's session has it.</summary>
internal sealed class PsEngine : IDisposable
{
    private readonly Runspace runspace;

    public PsEngine(string manifest)
    {
        var state = InitialSessionState.CreateDefault2();
        // A hosted engine has no $PSHOME/Modules: PowerShell's own utility cmdlets (Out-String, Measure-Object, ...) are
        // imported from their assembly, which the SDK package brings.
        state.ImportPSModule([typeof(Microsoft.PowerShell.Commands.OutStringCommand).Assembly.Location, manifest]);

        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        if (Invoke(ps => ps.AddCommand("Get-Module").AddParameter("Name", "DockerPS")).Count != 1)
        {
            throw new BenchmarkException($"The module at {manifest} did not import.");
        }
    }

    /// <summary>Runs a pipeline; any error it writes is an exception, so a broken command never passes for a fast one.</summary>
    public Collection<PSObject> Invoke(Action<PowerShell> build)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        build(ps);
        Collection<PSObject> results = ps.Invoke();
        if (ps.HadErrors || ps.Streams.Error.Count > 0)
        {
            throw new BenchmarkException("PowerShell reported errors: " + string.Join("; ", ps.Streams.Error.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        }

        return results;
    }

    /// <summary>The build configuration (Debug or Release) of the DockerPS assembly that was imported.</summary>
    public string ModuleConfiguration()
    {
        Collection<PSObject> result = Invoke(ps => ps.AddScript(
            "(Get-Command Get-DockerContainer).ImplementingType.Assembly.GetCustomAttributes([System.Reflection.AssemblyConfigurationAttribute], $false).Configuration"));
        return result.Count > 0 ? result[0]?.ToString() ?? "unknown" : "unknown";
    }

    public void Dispose()
    {
        runspace.Dispose();
    }
}
