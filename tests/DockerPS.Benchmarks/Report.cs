using System.Globalization;
using System.Text;

namespace DockerPS.Benchmarks;

/// <summary>Console output: status lines while it runs, and aligned tables of results.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Status(string text) => Console.WriteLine("  . " + text);

    public static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine(text);
        Console.WriteLine(new string('=', text.Length));
    }

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "F2" : "F1", Invariant);

    public static string Seconds(double s) => s.ToString("F2", Invariant);

    public static string Ratio(double r) => double.IsFinite(r) ? r.ToString("F2", Invariant) + "x" : "n/a";

    public static string Mib(double bytes) => (bytes / 1048576.0).ToString("F1", Invariant);

    public static string MibFromKib(long kib) => kib < 0 ? "n/a" : (kib / 1024.0).ToString("F1", Invariant);

    public static string Int(long n) => n.ToString(Invariant);

    public static string F1(double n) => n.ToString("F1", Invariant);
}

/// <summary>A text table: the first column left-aligned, the others right-aligned, as numbers read best.</summary>
internal sealed class Table
{
    private readonly string[] headers;
    private readonly List<string[]> rows = [];

    public Table(params string[] headers) => this.headers = headers;

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row needs {headers.Length} cells, not {cells.Length}", nameof(cells));
        }

        rows.Add(cells);
    }

    public void Print()
    {
        int[] widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(Line(headers, widths));
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (string[] row in rows)
        {
            Console.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
        }

        return line.ToString().TrimEnd();
    }
}

/// <summary>Timed samples of one variant, in milliseconds.</summary>
internal sealed class Samples
{
    private readonly List<double> values = [];

    public int Count => values.Count;

    public void Add(double ms) => values.Add(ms);

    public double Median
    {
        get
        {
            double[] sorted = Sorted();
            int mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    /// <summary>The nearest-rank 90th percentile: the smallest sample that at least 90% of samples do not exceed.</summary>
    public double P90
    {
        get
        {
            double[] sorted = Sorted();
            return sorted[Math.Max(0, (int)Math.Ceiling(0.9 * sorted.Length) - 1)];
        }
    }

    public double Min => Sorted()[0];

    public double Max => Sorted()[^1];

    private double[] Sorted() => values.Count == 0
        ? throw new InvalidOperationException("no samples were taken")
        : [.. values.Order()];
}
