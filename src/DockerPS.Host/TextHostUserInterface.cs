using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace DockerPS.Hosting;

/// <summary>
/// Plain-text user interface: messages become lines in a writer, progress is recorded but not drawn,
/// and anything that would read from a person throws.
/// </summary>
public sealed partial class TextHostUserInterface : PSHostUserInterface
{
    private readonly TextWriter? _output;
    private readonly TextWriter? _error;
    private readonly TextRawUserInterface _rawUI;

    // One lock for writing and recording: the engine may call in from pipeline and event threads at once.
    private readonly object _lock = new();
    private readonly List<ProgressRecord> _progress = [];
    private readonly List<InformationRecord> _information = [];
    private bool _outputToError;

    /// <summary>Creates a user interface that writes all text, errors included, into <paramref name="output"/>.</summary>
    /// <param name="output">Where every line goes.</param>
    /// <param name="width">The line width that format views are rendered at.</param>
    public TextHostUserInterface(TextWriter output, int width = TextHost.DefaultWidth)
        : this(output, output, width)
    {
    }

    /// <summary>Creates a user interface that writes error lines into <paramref name="error"/> and everything else into <paramref name="output"/>.</summary>
    /// <param name="output">Where rendered output, warnings and other messages go.</param>
    /// <param name="error">Where error lines go.</param>
    /// <param name="width">The line width that format views are rendered at.</param>
    public TextHostUserInterface(TextWriter output, TextWriter error, int width = TextHost.DefaultWidth)
        : this(width)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        _output = output;
        _error = error;
    }

    private TextHostUserInterface(int width)
    {
        _rawUI = new TextRawUserInterface(width);
    }

    /// <summary>
    /// Creates a user interface that writes to <see cref="Console.Out"/>, and error lines to <see cref="Console.Error"/>.
    /// </summary>
    /// <param name="width">The line width that format views are rendered at.</param>
    public static TextHostUserInterface CreateForConsole(int width = TextHost.DefaultWidth) => new(width);

    /// <summary>Whether this writes to the real console rather than to given writers.</summary>
    public bool WritesToConsole => _output is null;

    /// <summary>The line width that format views are rendered at.</summary>
    public int Width => _rawUI.Width;

    /// <summary>A copy of every progress record written so far, in order.</summary>
    public IReadOnlyList<ProgressRecord> ProgressRecords
    {
        get
        {
            lock (_lock)
            {
                return _progress.ToArray();
            }
        }
    }

    /// <summary>A copy of every information record the engine handed to the host so far, in order, shown or not.</summary>
    public IReadOnlyList<InformationRecord> InformationRecords
    {
        get
        {
            lock (_lock)
            {
                return _information.ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public override PSHostRawUserInterface RawUI => _rawUI;

    /// <summary>False: output is plain text, so the engine leaves out colour escape sequences.</summary>
    public override bool SupportsVirtualTerminal => false;

    /// <summary>
    /// While true, ordinary output goes to the error writer too: for printing an error record through
    /// Out-Default, which would otherwise write it as ordinary output.
    /// </summary>
    internal bool OutputToError
    {
        get { lock (_lock) { return _outputToError; } }
        set { lock (_lock) { _outputToError = value; } }
    }

    // Looked up on each write so that a redirected Console.Out is honoured.
    private TextWriter Output => _output ?? Console.Out;

    private TextWriter Error => _error ?? Console.Error;

    /// <inheritdoc/>
    public override void Write(string value) => Emit(toError: false, value, newLine: false);

    /// <summary>Writes <paramref name="value"/>; colours are dropped since the output is plain text.</summary>
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        Emit(toError: false, value, newLine: false);

    /// <inheritdoc/>
    public override void WriteLine() => Emit(toError: false, string.Empty, newLine: true);

    /// <inheritdoc/>
    public override void WriteLine(string value) => Emit(toError: false, value, newLine: true);

    /// <summary>Writes <paramref name="value"/> and a new line; colours are dropped since the output is plain text.</summary>
    public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) =>
        Emit(toError: false, value, newLine: true);

    /// <inheritdoc/>
    public override void WriteErrorLine(string value) => Emit(toError: true, value, newLine: true);

    /// <summary>Writes the message prefixed with <c>WARNING: </c>, as pwsh does.</summary>
    public override void WriteWarningLine(string message) => Emit(toError: false, "WARNING: " + message, newLine: true);

    /// <summary>Writes the message prefixed with <c>VERBOSE: </c>, as pwsh does.</summary>
    public override void WriteVerboseLine(string message) => Emit(toError: false, "VERBOSE: " + message, newLine: true);

    /// <summary>Writes the message prefixed with <c>DEBUG: </c>, as pwsh does.</summary>
    public override void WriteDebugLine(string message) => Emit(toError: false, "DEBUG: " + message, newLine: true);

    /// <summary>
    /// Records the information record. It is not written here: the engine itself writes the ones that
    /// should show (Write-Host, or InformationAction Continue) through <see cref="WriteLine(string)"/>,
    /// and hands this method the hidden ones too.
    /// </summary>
    public override void WriteInformation(InformationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            _information.Add(record);
        }
    }

    /// <summary>Records the progress record; nothing is drawn.</summary>
    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            _progress.Add(record);
        }
    }

    /// <summary>Always throws: the host is non-interactive.</summary>
    public override string ReadLine() => throw NonInteractive.Error("Reading a line of input");

    /// <summary>Always throws: the host is non-interactive.</summary>
    public override SecureString ReadLineAsSecureString() => throw NonInteractive.Error("Reading a secure string");

    /// <summary>Always throws: the host is non-interactive.</summary>
    public override Dictionary<string, PSObject> Prompt(
        string caption, string message, Collection<FieldDescription> descriptions) =>
        throw NonInteractive.Error(Describe("Prompting for values", caption, message));

    /// <summary>Always throws: the host is non-interactive.</summary>
    public override PSCredential PromptForCredential(
        string caption, string message, string userName, string targetName) =>
        throw NonInteractive.Error(Describe("Prompting for a credential", caption, message));

    /// <summary>Always throws: the host is non-interactive.</summary>
    public override PSCredential PromptForCredential(
        string caption,
        string message,
        string userName,
        string targetName,
        PSCredentialTypes allowedCredentialTypes,
        PSCredentialUIOptions options) =>
        throw NonInteractive.Error(Describe("Prompting for a credential", caption, message));

    /// <summary>Always throws: the host is non-interactive.</summary>
    public override int PromptForChoice(
        string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
        throw NonInteractive.Error(Describe("Prompting for a choice", caption, message));

    // Says what was asked, so the person reading the error knows which value to pass instead.
    private static string Describe(string what, string? caption, string? message)
    {
        string asked = string.Join(": ", new[] { caption, message }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return asked.Length == 0 ? what : $"{what} ({asked})";
    }

    // Escape sequences: CSI (colours, cursor moves), OSC (titles, links) ended by BEL or ST, and two-byte ones.
    [GeneratedRegex(@"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-_])")]
    private static partial Regex EscapeSequence();

    private void Emit(bool toError, string? value, bool newLine)
    {
        // The engine decorates table headers and some values with colours whatever the host says it
        // supports; plain text is what this host promises, so they are taken out here.
        if (value is not null && value.Contains('\x1b', StringComparison.Ordinal))
        {
            value = EscapeSequence().Replace(value, string.Empty);
        }

        lock (_lock)
        {
            TextWriter writer = toError || _outputToError ? Error : Output;

            if (newLine)
            {
                writer.WriteLine(value);
            }
            else
            {
                writer.Write(value);
            }
        }
    }
}
