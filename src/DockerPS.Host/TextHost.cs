using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace DockerPS.Hosting;

/// <summary>
/// A non-interactive PowerShell host that renders everything as plain text at a fixed width,
/// either into a <see cref="TextWriter"/> (for tests) or onto the real console.
/// </summary>
public sealed class TextHost : PSHost
{
    /// <summary>The line width used when none is given.</summary>
    public const int DefaultWidth = 120;

    private static readonly Version HostVersion =
        typeof(TextHost).Assembly.GetName().Version ?? new Version(0, 0);

    private readonly TextHostUserInterface _ui;
    private readonly object _exitLock = new();
    private bool _shouldExit;
    private int _exitCode;

    /// <summary>Creates a host that writes all text, errors included, into <paramref name="output"/>.</summary>
    /// <param name="output">Where rendered output, warnings, errors and other messages go.</param>
    /// <param name="width">The line width that format views are rendered at.</param>
    public TextHost(TextWriter output, int width = DefaultWidth)
        : this(new TextHostUserInterface(output, width))
    {
    }

    /// <summary>Creates a host that writes error lines into <paramref name="error"/> and everything else into <paramref name="output"/>.</summary>
    /// <param name="output">Where rendered output, warnings and other messages go.</param>
    /// <param name="error">Where error lines go.</param>
    /// <param name="width">The line width that format views are rendered at.</param>
    public TextHost(TextWriter output, TextWriter error, int width = DefaultWidth)
        : this(new TextHostUserInterface(output, error, width))
    {
    }

    /// <summary>Creates a host around an existing user interface.</summary>
    /// <param name="userInterface">The user interface the host exposes.</param>
    public TextHost(TextHostUserInterface userInterface)
    {
        ArgumentNullException.ThrowIfNull(userInterface);
        _ui = userInterface;
        CurrentCulture = CultureInfo.CurrentCulture;
        CurrentUICulture = CultureInfo.CurrentUICulture;
    }

    /// <summary>
    /// Creates a host that writes to <see cref="Console.Out"/>, and error lines to <see cref="Console.Error"/>.
    /// </summary>
    /// <param name="width">The line width that format views are rendered at.</param>
    public static TextHost CreateForConsole(int width = DefaultWidth) =>
        new(TextHostUserInterface.CreateForConsole(width));

    /// <inheritdoc/>
    public override string Name => "DockerPS.Host";

    /// <inheritdoc/>
    public override Version Version => HostVersion;

    /// <inheritdoc/>
    public override Guid InstanceId { get; } = Guid.NewGuid();

    /// <inheritdoc/>
    public override CultureInfo CurrentCulture { get; }

    /// <inheritdoc/>
    public override CultureInfo CurrentUICulture { get; }

    /// <inheritdoc/>
    public override PSHostUserInterface UI => _ui;

    /// <summary>The host's user interface, typed, for reading what it recorded.</summary>
    public TextHostUserInterface TextUI => _ui;

    /// <summary>The line width that format views are rendered at.</summary>
    public int Width => _ui.Width;

    /// <summary>Whether the host writes to the real console rather than to given writers.</summary>
    public bool WritesToConsole => _ui.WritesToConsole;

    /// <summary>A copy of every progress record written so far, in order.</summary>
    public IReadOnlyList<ProgressRecord> ProgressRecords => _ui.ProgressRecords;

    /// <summary>Whether a script asked the host to exit (<c>exit N</c> at the top level).</summary>
    public bool ShouldExit
    {
        get
        {
            lock (_exitLock)
            {
                return _shouldExit;
            }
        }
    }

    /// <summary>The exit code passed to <see cref="SetShouldExit"/>, or 0 if it was not called.</summary>
    public int ExitCode
    {
        get
        {
            lock (_exitLock)
            {
                return _exitCode;
            }
        }
    }

    /// <inheritdoc/>
    public override void SetShouldExit(int exitCode)
    {
        lock (_exitLock)
        {
            _shouldExit = true;
            _exitCode = exitCode;
        }
    }

    /// <summary>Always throws: a nested prompt needs someone to type at it.</summary>
    public override void EnterNestedPrompt() => throw NonInteractive.Error("Entering a nested prompt");

    /// <summary>Does nothing: no nested prompt can have been entered.</summary>
    public override void ExitNestedPrompt()
    {
    }

    /// <inheritdoc/>
    public override void NotifyBeginApplication()
    {
    }

    /// <inheritdoc/>
    public override void NotifyEndApplication()
    {
    }
}

/// <summary>Builds the error thrown when something needs a person at the keyboard.</summary>
internal static class NonInteractive
{
    internal static PSInvalidOperationException Error(string what) =>
        new($"{what} is not available: the DockerPS host is non-interactive, as with pwsh -NonInteractive. " +
            "Pass every value as a parameter (and -Confirm:$false where a command would ask).");
}
