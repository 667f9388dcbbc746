using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;

namespace DockerPS.Hosting;

/// <summary>How one pipeline run ended.</summary>
internal enum RunOutcome
{
    /// <summary>It ran to the end (errors it wrote along the way do not count here).</summary>
    Completed,

    /// <summary>A terminating error stopped it; the error was printed.</summary>
    Failed,

    /// <summary>Ctrl+C stopped it.</summary>
    Stopped,
}

/// <summary>
/// Runs scripts in one runspace the way pwsh runs -Command and -File: output and errors through Out-Default,
/// terminating errors printed, Ctrl+C stopping the running pipeline.
/// </summary>
internal sealed class ScriptRunner : IDisposable
{
    private readonly Runspace _runspace;
    private readonly TextHost _host;
    private readonly object _lock = new();
    private PowerShell? _current;
    private bool _stopRequested;

    internal ScriptRunner(Runspace runspace, TextHost host)
    {
        _runspace = runspace;
        _host = host;
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>Whether Ctrl+C was pressed.</summary>
    internal bool StopRequested
    {
        get
        {
            lock (_lock)
            {
                return _stopRequested;
            }
        }
    }

    public void Dispose() => Console.CancelKeyPress -= OnCancelKeyPress;

    /// <summary>Runs script text in the global scope, as pwsh -Command does.</summary>
    internal RunOutcome RunScript(string script)
    {
        // Parsed here first because the engine reports a script that merely ends too soon ("1 +") with an
        // error that carries no position, which the error view then renders as an empty line.
        Parser.ParseInput(script, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            ReportError(new ParseException(errors).ErrorRecord);
            return RunOutcome.Failed;
        }

        return Run(ps => ps.AddScript(script), userCommand: true);
    }

    /// <summary>
    /// Runs a script file with arguments, as pwsh -File does: "-Name" binds the next argument to parameter
    /// Name, "-Name:value" binds value, "-Switch" alone sets a switch, anything else is positional.
    /// </summary>
    internal RunOutcome RunFile(string path, IReadOnlyList<string> arguments) => Run(ps =>
    {
        ps.AddCommand(path);
        Command script = ps.Commands.Commands[^1];
        foreach (string argument in arguments)
        {
            script.Parameters.Add(ToParameter(argument));
        }
    }, userCommand: true);

    /// <summary>Imports a module; failing to is a terminating error, printed like any other.</summary>
    internal RunOutcome ImportModule(string path) => Run(ps => ps
        .AddCommand("Import-Module")
        .AddParameter("Name", path)
        .AddParameter("ErrorAction", ActionPreference.Stop), userCommand: false);

    /// <summary>
    /// The exit code pwsh would give after the scripts run so far: <c>exit N</c> gives N; otherwise 1 if
    /// <c>$?</c> is false; else <c>$LASTEXITCODE</c> if set and nonzero; else 0.
    /// </summary>
    internal int ExitCodeAfterCompletion()
    {
        if (_host.ShouldExit)
        {
            return _host.ExitCode;
        }

        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;

        // Read in a pipeline of its own, which does not change $? (only user commands, added to history, do).
        var results = ps.AddScript("$global:?").Invoke();
        if (results.Count == 0 || !LanguagePrimitives.IsTrue(results[0]))
        {
            return 1;
        }

        // Read directly rather than by script, which would fail under Set-StrictMode when it is unset.
        object? lastExitCode = _runspace.SessionStateProxy.GetVariable("global:LASTEXITCODE");
        return lastExitCode is not null && LanguagePrimitives.TryConvertTo(lastExitCode, out int code) ? code : 0;
    }

    private RunOutcome Run(Action<PowerShell> addCommands, bool userCommand)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        addCommands(ps);

        // As pwsh does: the script's errors join its output so that Out-Default prints both, in order,
        // and errors from anything else still unclaimed are merged in before Out-Default.
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        ps.Commands.Commands[^1].MergeUnclaimedPreviousCommandResults = PipelineResultTypes.Error | PipelineResultTypes.Output;

        lock (_lock)
        {
            if (_stopRequested)
            {
                return RunOutcome.Stopped;
            }

            _current = ps;
        }

        try
        {
            // A pipeline run this way (as pwsh runs what it is given) leaves $? set for the exit code;
            // other pipelines put $? back as they found it.
            ps.Invoke(null, new PSInvocationSettings { AddToHistory = userCommand });
        }
        catch (Exception) when (StopRequested)
        {
            return RunOutcome.Stopped;
        }
        catch (Exception e) when (e is IContainsErrorRecord withRecord)
        {
            ReportError(withRecord.ErrorRecord);
            return RunOutcome.Failed;
        }
        finally
        {
            lock (_lock)
            {
                _current = null;
            }
        }

        // Errors not merged above (from Out-Default itself) would otherwise go unseen.
        foreach (ErrorRecord error in ps.Streams.Error)
        {
            ReportError(error);
        }

        return StopRequested ? RunOutcome.Stopped : RunOutcome.Completed;
    }

    // Prints an error record as pwsh prints a terminating error: through Out-Default, so that the error
    // view renders it, onto the error writer.
    private void ReportError(ErrorRecord error)
    {
        _host.TextUI.OutputToError = true;
        try
        {
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddCommand("Out-Default");
            ps.Invoke(new[] { error });
        }
        catch (RuntimeException)
        {
            // Rendering the error failed as well: the bare message is better than nothing.
            _host.UI.WriteErrorLine(error.ToString());
        }
        finally
        {
            _host.TextUI.OutputToError = false;
        }
    }

    private static CommandParameter ToParameter(string argument)
    {
        if (argument.Length > 1 && argument[0] == '-' && (char.IsLetter(argument[1]) || argument[1] == '_'))
        {
            int colon = argument.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                // A name alone: the engine pairs it with the next argument unless it is a switch.
                return new CommandParameter(argument);
            }

            string value = argument[(colon + 1)..];
            object boundValue = value.ToUpperInvariant() switch
            {
                "$TRUE" => true,
                "$FALSE" => false,
                _ => value,
            };
            return new CommandParameter(argument[..(colon + 1)], boundValue);
        }

        return new CommandParameter(null, argument);
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        PowerShell? running;
        lock (_lock)
        {
            if (_stopRequested)
            {
                // A second Ctrl+C while the first is still stopping ends the process the usual way.
                return;
            }

            _stopRequested = true;
            running = _current;
        }

        // Keep the process alive so the pipeline can stop and the runspace close cleanly.
        e.Cancel = true;
        running?.Stop();
    }
}
