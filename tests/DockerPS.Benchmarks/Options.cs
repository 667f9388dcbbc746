using System.Globalization;

namespace DockerPS.Benchmarks;

/// <summary>What the command line asked for.</summary>
internal sealed class Options
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/DockerPS.Benchmarks -- [options]

        Measures DockerPS against the raw Engine API and the docker CLI, side by side, and prints ratios.

          --iterations N    timed calls per list variant (default 20; --quick: 5)
          --size-mib N      size of the random data in the big image (default 512; --quick: 96)
          --small-mib N     size of the random data in the small image (default 64; --quick: 16)
          --save-runs N     timed saves per variant and size, and loads per variant (default 5; --quick: 1)
          --containers N    labelled containers to create for the list (default 20)
          --keep-images     keep the benchmark images for the next run (they are reused when their size matches)
          --quick           small sizes and few iterations, to check the benchmark itself works
          -h, --help        this text
        """;

    public int Iterations { get; private set; } = 20;

    public int SizeMib { get; private set; } = 512;

    public int SmallMib { get; private set; } = 64;

    public int SaveRuns { get; private set; } = 5;

    public int Containers { get; private set; } = 20;

    public bool KeepImages { get; private set; }

    public bool Quick { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Null and an error message when the arguments are not understood.</summary>
    public static Options? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new Options();
        int? iterations = null, size = null, small = null, runs = null;
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--iterations":
                    iterations = Number(args, ref i, min: 1, ref error);
                    break;
                case "--size-mib":
                    size = Number(args, ref i, min: 1, ref error);
                    break;
                case "--small-mib":
                    small = Number(args, ref i, min: 1, ref error);
                    break;
                case "--save-runs":
                    runs = Number(args, ref i, min: 1, ref error);
                    break;
                case "--containers":
                    options.Containers = Number(args, ref i, min: 0, ref error) ?? options.Containers;
                    break;
                case "--keep-images":
                    options.KeepImages = true;
                    break;
                case "--quick":
                    options.Quick = true;
                    break;
                case "-h":
                case "--help":
                    options.Help = true;
                    break;
                default:
                    error = $"unknown argument '{arg}'";
                    break;
            }

            if (error != null)
            {
                return null;
            }
        }

        // --quick only changes the defaults, so an explicit value still wins.
        options.Iterations = iterations ?? (options.Quick ? 5 : 20);
        options.SizeMib = size ?? (options.Quick ? 96 : 512);
        options.SaveRuns = runs ?? (options.Quick ? 1 : 5);
        options.SmallMib = small ?? (options.Quick ? 16 : Math.Min(64, Math.Max(1, options.SizeMib / 8)));
        if (options.SmallMib >= options.SizeMib)
        {
            error = $"--small-mib ({options.SmallMib}) must be below --size-mib ({options.SizeMib}) for the streaming check to mean anything";
            return null;
        }

        return options;
    }

    private static int? Number(IReadOnlyList<string> args, ref int i, int min, ref string? error)
    {
        string name = args[i];
        if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            error = $"{name} needs a whole number of at least {min}";
            return null;
        }

        i++;
        return value;
    }
}
