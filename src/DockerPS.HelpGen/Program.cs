using System.Text;
using DockerPS.HelpGen;

// Usage: DockerPS.HelpGen <docsFolder> <outputFolder>
// Every *.md but about_*.md is a cmdlet page, all written into one MAML file; each about_*.md becomes about_*.help.txt.
// Nothing is written unless every page is sound, so a broken page can't ship half a help set.

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DockerPS.HelpGen <docsFolder> <outputFolder>");
    return 2;
}

var (docs, output) = (args[0], args[1]);
if (!Directory.Exists(docs))
{
    Console.Error.WriteLine($"{docs}: error: no such folder");
    return 2;
}

var commands = new List<CommandHelp>();
var topics = new List<(string Name, string Text)>();
var failures = 0;
foreach (var file in Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal))
{
    try
    {
        if (Path.GetFileName(file).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
        {
            topics.Add((Path.GetFileNameWithoutExtension(file), AboutTopicWriter.Convert(file)));
            continue;
        }

        var command = CommandPageParser.Parse(file);
        if (commands.Find(c => c.Name.Equals(command.Name, StringComparison.OrdinalIgnoreCase)) is { } earlier)
        {
            throw new HelpFormatException(file, 1, $"{command.Name} is already described by {earlier.SourceFile}");
        }

        commands.Add(command);
    }
    catch (HelpFormatException error)
    {
        Console.Error.WriteLine(error.Message);
        failures++;
    }
}

if (failures > 0)
{
    Console.Error.WriteLine($"{failures} page(s) failed; nothing was written.");
    return 1;
}

if (commands.Count == 0 && topics.Count == 0)
{
    Console.Error.WriteLine($"{docs}: error: no markdown pages found");
    return 1;
}

try
{
    Directory.CreateDirectory(output);
    // Written even with no command pages, so that what a build ships doesn't depend on which pages exist yet.
    var maml = Path.Combine(output, MamlWriter.FileName);
    MamlWriter.Save(commands, maml);
    Console.WriteLine($"{maml}: {commands.Count} command(s)");

    foreach (var (name, text) in topics)
    {
        // The byte order mark lets Windows PowerShell 5.1 read the file as UTF-8 rather than the ANSI code page.
        var path = Path.Combine(output, name + ".help.txt");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Console.WriteLine(path);
    }
}
catch (Exception error) when (error is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{output}: error: {error.Message}");
    return 1;
}

return 0;
