using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using DockerPS.Hosting;

namespace DockerPS.Tests.Infrastructure;

/// <summary>The real PowerShell engine with the built module imported, and a host that captures what it renders.</summary>
public sealed partial class PsSession : IDisposable
{
    private readonly StringWriter output = new();

    public PsSession(EngineFixture engine, int width = 160)
    {
        var state = InitialSessionState.CreateDefault2();

        // The formatting cmdlets a user reaches for, to render named views and lists as text.
        state.Commands.Add(new SessionStateCmdletEntry("Format-Table", typeof(Microsoft.PowerShell.Commands.FormatTableCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Format-List", typeof(Microsoft.PowerShell.Commands.FormatListCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Out-String", typeof(Microsoft.PowerShell.Commands.OutStringCommand), null));
        state.ImportPSModule(new[] { engine.ModuleManifest });
        Host = new TextHost(output, width);
        Runspace = RunspaceFactory.CreateRunspace(Host, state);
        Runspace.Open();
        Runspace.SessionStateProxy.SetVariable("label", engine.Label);
        Runspace.SessionStateProxy.SetVariable("runId", engine.RunId);
        var imported = Run("Get-Module DockerPS");
        if (imported.Output.Count != 1)
        {
            throw new InvalidOperationException("The module did not import: " + string.Join("; ", imported.Errors.Select(e => e.ToString())));
        }
    }

    public TextHost Host { get; }

    public Runspace Runspace { get; }

    /// <summary>Everything the host rendered so far, with ANSI escapes removed.</summary>
    public string Rendered => Ansi().Replace(output.ToString(), string.Empty);

    public void Set(string name, object? value) => Runspace.SessionStateProxy.SetVariable(name, value);

    public object? Get(string name) => Runspace.SessionStateProxy.GetVariable(name);

    /// <summary>Runs script text as a user would type it; returns what it wrote and its errors.</summary>
    public Result Run(string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = Runspace;
        ps.AddScript(script);
        Collection<PSObject> results = ps.Invoke();
        return new Result(results, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(), ps.HadErrors);
    }

    /// <summary>Starts script text without waiting, for Ctrl+C tests.</summary>
    public PowerShell Start(string script, out IAsyncResult pending)
    {
        var ps = PowerShell.Create();
        ps.Runspace = Runspace;
        ps.AddScript(script);
        pending = ps.BeginInvoke();
        return ps;
    }

    public void Dispose()
    {
        Runspace.Dispose();
        output.Dispose();
    }

    [GeneratedRegex("\u001b\\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();

    public sealed record Result(Collection<PSObject> Output, List<ErrorRecord> Errors, List<string> Warnings, bool HadErrors)
    {
        public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

        /// <summary>The error ids (the part of FullyQualifiedErrorId before the comma).</summary>
        public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]);

        public void AssertNoErrors()
        {
            if (Errors.Count > 0)
            {
                throw new Xunit.Sdk.XunitException("Unexpected errors:\n" + string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
            }
        }
    }
}
