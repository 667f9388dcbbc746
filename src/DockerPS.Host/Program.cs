using System;
using System.IO;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell;

namespace DockerPS.Hosting;

/// <summary>
/// DockerPS.Host: runs PowerShell commands or a script file with the DockerPS module imported, for machines
/// without pwsh.
/// </summary>
internal static class Program
{
    private const int ExitSuccess = 0;
    private const int ExitFailure = 1;
    private const int ExitUsage = 64;
    private const int ExitInterrupted = 130;

    private static int Main(string[] args)
    {
        CommandLine? commandLine = CommandLine.Parse(args, out string? error);
        if (commandLine is null)
        {
            Console.Error.WriteLine($"DockerPS.Host: {error}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(CommandLine.Usage);
            return ExitUsage;
        }

        if (commandLine.ShowHelp)
        {
            Console.Out.WriteLine(CommandLine.Usage);
            return ExitSuccess;
        }

        string? module = null;
        if (!commandLine.NoModule)
        {
            module = ResolveModule(commandLine.ModulePath);
            if (module is null)
            {
                return ExitFailure;
            }
        }

        string? file = null;
        if (commandLine.File is not null)
        {
            file = Path.GetFullPath(commandLine.File);
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"DockerPS.Host: the script file '{commandLine.File}' does not exist.");
                return ExitUsage;
            }
        }

        // Read before Ctrl+C is taken over, so that Ctrl+C still ends a read that waits for input.
        string? command = commandLine.CommandFromStandardInput ? Console.In.ReadToEnd() : commandLine.Command;

        return Run(module, command, file, commandLine);
    }

    private static int Run(string? module, string? command, string? file, CommandLine commandLine)
    {
        TextHost host = TextHost.CreateForConsole(ConsoleWidth());

        // CreateDefault needs modules that only ship with pwsh; CreateDefault2 is the engine's core alone.
        InitialSessionState state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // pwsh's default there; without pwsh's configuration the engine would fall back to Restricted,
            // which refuses script files and the module's format files.
            state.ExecutionPolicy = ExecutionPolicy.RemoteSigned;
        }

        using Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        using var runner = new ScriptRunner(runspace, host);

        if (module is not null)
        {
            RunOutcome imported = runner.ImportModule(module);
            if (imported == RunOutcome.Stopped)
            {
                return ExitInterrupted;
            }

            if (imported == RunOutcome.Failed)
            {
                Console.Error.WriteLine($"DockerPS.Host: could not import the module '{module}' (the error above says why).");
                return ExitFailure;
            }
        }

        RunOutcome outcome = file is not null
            ? runner.RunFile(file, commandLine.FileArguments)
            : runner.RunScript(command ?? string.Empty);

        return outcome switch
        {
            RunOutcome.Stopped => ExitInterrupted,
            RunOutcome.Failed => ExitFailure,
            _ => runner.ExitCodeAfterCompletion(),
        };
    }

    private static string? ResolveModule(string? fromCommandLine)
    {
        string? module = fromCommandLine;
        string source = "-Module";
        if (module is null)
        {
            module = ModuleLocator.FindDefault(AppContext.BaseDirectory, out source);
            if (module is null)
            {
                Console.Error.WriteLine(
                    $"DockerPS.Host: the DockerPS module was not found: no {ModuleLocator.ManifestInRepository} in " +
                    $"{source}. Build it first with 'dotnet build src/DockerPS', or name a manifest with -Module " +
                    $"or the environment variable {ModuleLocator.EnvironmentVariable}, or run with -NoModule.");
                return null;
            }
        }

        string fullPath = Path.GetFullPath(module);
        if (!File.Exists(fullPath) && !Directory.Exists(fullPath))
        {
            Console.Error.WriteLine($"DockerPS.Host: the module '{module}' given by {source} does not exist.");
            return null;
        }

        return fullPath;
    }

    // The terminal's width when there is one, so tables fit it; a fixed width when output is redirected.
    private static int ConsoleWidth()
    {
        if (Console.IsOutputRedirected)
        {
            return TextHost.DefaultWidth;
        }

        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : TextHost.DefaultWidth;
        }
        catch (IOException)
        {
            return TextHost.DefaultWidth;
        }
    }
}
