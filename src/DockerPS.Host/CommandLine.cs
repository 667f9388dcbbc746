using System;
using System.Collections.Generic;
using System.Linq;

namespace DockerPS.Hosting;

/// <summary>The parsed command line of the DockerPS.Host program.</summary>
internal sealed class CommandLine
{
    internal const string Usage =
        """
        Usage: DockerPS.Host [-Module <path to DockerPS.psd1> | -NoModule] -Command <text> | -
               DockerPS.Host [-Module <path to DockerPS.psd1> | -NoModule] -File <script.ps1> [arguments...]

        Runs PowerShell commands with the DockerPS module imported, on a machine without pwsh.

          -Command, -c <text>  Runs the text as a script. Any further arguments are joined to it with spaces.
                               With '-', the script is read from standard input.
          -File, -f <path>     Runs the script file. Any further arguments are passed to it
                               ('-Name value' binds to parameter Name).
          -Module, -m <path>   The module manifest to import. Default: the environment variable
                               DOCKERPS_MODULE, else out/DockerPS/DockerPS.psd1 in a folder above this program.
          -NoModule            Imports no module.
          -Help, -h, -?        Shows this text.

        Exit code: 'exit N' gives N; 1 if a terminating error happened or the last statement failed ($? false);
        else $LASTEXITCODE if it is set and nonzero; else 0. After Ctrl+C it is 130; for bad arguments, 64.
        """;

    private CommandLine()
    {
    }

    /// <summary>The module manifest given with -Module, or null.</summary>
    internal string? ModulePath { get; private set; }

    /// <summary>Whether -NoModule was given.</summary>
    internal bool NoModule { get; private set; }

    /// <summary>The script text given with -Command, or null.</summary>
    internal string? Command { get; private set; }

    /// <summary>Whether the script is to be read from standard input (-Command -).</summary>
    internal bool CommandFromStandardInput { get; private set; }

    /// <summary>The script file given with -File, or null.</summary>
    internal string? File { get; private set; }

    /// <summary>The arguments that follow the script file.</summary>
    internal IReadOnlyList<string> FileArguments { get; private set; } = [];

    /// <summary>Whether the usage text was asked for.</summary>
    internal bool ShowHelp { get; private set; }

    /// <summary>Parses <paramref name="args"/>; on failure returns null and says why in <paramref name="error"/>.</summary>
    internal static CommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        var result = new CommandLine();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (ParameterName(arg))
            {
                case "help" or "h" or "?":
                    result.ShowHelp = true;
                    return result;

                case "nomodule":
                    result.NoModule = true;
                    break;

                case "module" or "m":
                    if (result.ModulePath is not null)
                    {
                        error = "-Module was given more than once.";
                        return null;
                    }

                    if (i + 1 >= args.Count || string.IsNullOrWhiteSpace(args[i + 1]))
                    {
                        error = "-Module needs the path of a module manifest.";
                        return null;
                    }

                    result.ModulePath = args[++i];
                    break;

                case "command" or "c":
                    // Like pwsh, everything after -Command is the command, joined with spaces.
                    string[] rest = args.Skip(i + 1).ToArray();
                    if (rest.Length == 0)
                    {
                        error = "-Command needs the text of a command, or '-' to read it from standard input.";
                        return null;
                    }

                    if (rest[0] == "-")
                    {
                        if (rest.Length > 1)
                        {
                            error = "-Command - reads the command from standard input and takes no further arguments.";
                            return null;
                        }

                        result.CommandFromStandardInput = true;
                    }
                    else
                    {
                        result.Command = string.Join(' ', rest);
                    }

                    return Validate(result, out error);

                case "file" or "f":
                    if (i + 1 >= args.Count || string.IsNullOrWhiteSpace(args[i + 1]))
                    {
                        error = "-File needs the path of a script file.";
                        return null;
                    }

                    result.File = args[i + 1];
                    result.FileArguments = args.Skip(i + 2).ToArray();
                    return Validate(result, out error);

                case null:
                    // Like pwsh, a first argument that is no parameter names the script file.
                    result.File = arg;
                    result.FileArguments = args.Skip(i + 1).ToArray();
                    return Validate(result, out error);

                default:
                    error = $"Unknown parameter '{arg}'.";
                    return null;
            }
        }

        error = "Give -Command or -File.";
        return null;
    }

    private static CommandLine? Validate(CommandLine result, out string? error)
    {
        if (result.NoModule && result.ModulePath is not null)
        {
            error = "-Module and -NoModule cannot be used together.";
            return null;
        }

        error = null;
        return result;
    }

    // "-Name" and "--name" give "name"; anything else (a value, or a lone "-") gives null.
    private static string? ParameterName(string arg)
    {
        string name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..]
            : arg.StartsWith('-') ? arg[1..]
            : string.Empty;
        return name.Length == 0 ? null : name.ToLowerInvariant();
    }
}
