using System.Reflection;

namespace DockerPS.Tests;

/// <summary>The rooms of src/DockerPS keep to what the map at the top of src/DockerPS/README.md lets them use.</summary>
public sealed class LayoutTests
{
    private const string PowerShellAssembly = "System.Management.Automation";

    /// <summary>Client/ speaks to the engine only: no PowerShell type, and none of Errors/ (which words Client's facts).</summary>
    [Fact]
    public void ClientSources_UseNeitherPowerShellNorErrors()
    {
        var offenders = SourcesUsing("Client", PowerShellAssembly, "DockerPS.Errors", "ErrorMapper", "DockerPSException", "ErrorIds.");
        Assert.Empty(offenders);
    }

    /// <summary>Archives/ is plain .NET beside Client/: it does not reach into Client/ nor the error mapper.</summary>
    [Fact]
    public void ArchivesSources_UseNeitherClientNorTheErrorMapper()
    {
        Assert.Empty(SourcesUsing("Archives", "DockerPS.Client", "ErrorMapper"));
    }

    /// <summary>
    /// The built assembly agrees: no type of the DockerPS.Client namespace has a base, interface, field, property,
    /// event, constructor or method whose signature holds a PowerShell type (generic arguments included).
    /// </summary>
    [Fact]
    public void ClientTypes_ExposeNoPowerShellType()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var clientTypes = typeof(DockerImage).Assembly.GetTypes()
            .Where(t => t.Namespace == "DockerPS.Client")
            .ToList();
        Assert.Contains(clientTypes, t => t.Name == "EngineConnection");

        var offenders = new List<string>();
        foreach (Type type in clientTypes)
        {
            var used = new List<(string Where, Type Type)>();
            if (type.BaseType != null)
            {
                used.Add(("base", type.BaseType));
            }

            used.AddRange(type.GetInterfaces().Select(i => ("interface", i)));
            used.AddRange(type.GetFields(all).Select(f => (f.Name, f.FieldType)));
            used.AddRange(type.GetProperties(all).Select(p => (p.Name, p.PropertyType)));
            used.AddRange(type.GetEvents(all).Select(e => (e.Name, e.EventHandlerType!)));
            foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                used.AddRange(method.GetParameters().Select(p => ($"{method.Name}({p.Name})", p.ParameterType)));
                if (method is MethodInfo m)
                {
                    used.Add(($"{method.Name} returns", m.ReturnType));
                }

                if (method.GetMethodBody() is MethodBody body)
                {
                    used.AddRange(body.LocalVariables.Select(l => ($"{method.Name} local", l.LocalType)));
                }
            }

            offenders.AddRange(used.Where(u => Mentions(u.Type)).Select(u => $"{type.FullName}: {u.Where} uses {u.Type}"));
        }

        Assert.Empty(offenders);
    }

    private static bool Mentions(Type type)
    {
        if (type.HasElementType)
        {
            return Mentions(type.GetElementType()!);
        }

        return type.Assembly.GetName().Name == PowerShellAssembly
            || (type.IsGenericType && type.GetGenericArguments().Any(Mentions));
    }

    private List<string> SourcesUsing(string folder, params string[] words)
    {
        string root = Path.Combine(RepoPaths.Root, "src", "DockerPS", folder);
        var files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        return files
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => words.Any(w => l.Text.Contains(w, StringComparison.Ordinal)))
            .Select(l => $"{Path.GetRelativePath(root, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
    }
}
