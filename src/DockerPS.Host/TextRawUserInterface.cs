using System;
using System.Management.Automation.Host;

namespace DockerPS.Hosting;

/// <summary>
/// A screen-less raw user interface: it reports a fixed width, so that format views are laid out at that
/// width, keeps whatever is set on it, and reads no keys.
/// </summary>
public sealed class TextRawUserInterface : PSHostRawUserInterface
{
    // Heights mean little for text that scrolls past; these only need to be positive and plausible.
    private const int WindowHeight = 50;
    private const int BufferHeight = 9999;

    private readonly object _lock = new();
    private ConsoleColor _foregroundColor = ConsoleColor.Gray;
    private ConsoleColor _backgroundColor = ConsoleColor.Black;
    private Coordinates _cursorPosition;
    private Coordinates _windowPosition;
    private int _cursorSize = 25;
    private string _windowTitle = string.Empty;

    /// <summary>Creates a raw user interface of the given width.</summary>
    /// <param name="width">The line width, in characters, that the host reports.</param>
    public TextRawUserInterface(int width = TextHost.DefaultWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Width = width;
    }

    /// <summary>The line width, in characters, that the host reports.</summary>
    public int Width { get; }

    /// <inheritdoc/>
    public override ConsoleColor ForegroundColor
    {
        get { lock (_lock) { return _foregroundColor; } }
        set { lock (_lock) { _foregroundColor = value; } }
    }

    /// <inheritdoc/>
    public override ConsoleColor BackgroundColor
    {
        get { lock (_lock) { return _backgroundColor; } }
        set { lock (_lock) { _backgroundColor = value; } }
    }

    /// <inheritdoc/>
    public override Coordinates CursorPosition
    {
        get { lock (_lock) { return _cursorPosition; } }
        set { lock (_lock) { _cursorPosition = value; } }
    }

    /// <inheritdoc/>
    public override Coordinates WindowPosition
    {
        get { lock (_lock) { return _windowPosition; } }
        set { lock (_lock) { _windowPosition = value; } }
    }

    /// <inheritdoc/>
    public override int CursorSize
    {
        get { lock (_lock) { return _cursorSize; } }
        set { lock (_lock) { _cursorSize = value; } }
    }

    /// <inheritdoc/>
    public override string WindowTitle
    {
        get { lock (_lock) { return _windowTitle; } }
        set { lock (_lock) { _windowTitle = value ?? string.Empty; } }
    }

    /// <summary>The fixed width by a tall buffer; setting it is ignored so the width stays fixed.</summary>
    public override Size BufferSize
    {
        get => new(Width, BufferHeight);
        set { }
    }

    /// <summary>The fixed width; setting it is ignored so the width stays fixed.</summary>
    public override Size WindowSize
    {
        get => new(Width, WindowHeight);
        set { }
    }

    /// <inheritdoc/>
    public override Size MaxWindowSize => WindowSize;

    /// <inheritdoc/>
    public override Size MaxPhysicalWindowSize => WindowSize;

    /// <summary>Always false: there is no keyboard.</summary>
    public override bool KeyAvailable => false;

    /// <summary>Always throws: the host is non-interactive.</summary>
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw NonInteractive.Error("Reading a key");

    /// <summary>Does nothing: there is no input buffer.</summary>
    public override void FlushInputBuffer()
    {
    }

    /// <summary>Returns blank cells the size of <paramref name="rectangle"/>: nothing is kept on a screen.</summary>
    public override BufferCell[,] GetBufferContents(Rectangle rectangle)
    {
        int rows = Math.Max(0, rectangle.Bottom - rectangle.Top + 1);
        int columns = Math.Max(0, rectangle.Right - rectangle.Left + 1);
        var cells = new BufferCell[rows, columns];
        var blank = new BufferCell(' ', ForegroundColor, BackgroundColor, BufferCellType.Complete);
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                cells[row, column] = blank;
            }
        }

        return cells;
    }

    /// <summary>Does nothing: there is no screen to scroll.</summary>
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
    {
    }

    /// <summary>Does nothing: there is no screen to draw on.</summary>
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
    {
    }

    /// <summary>Does nothing: there is no screen to draw on.</summary>
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
    }
}
