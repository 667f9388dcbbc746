using System.Runtime.CompilerServices;

// The tests check parsers and packers directly, besides driving the cmdlets through the engine.
[assembly: InternalsVisibleTo("DockerPS.Tests")]
