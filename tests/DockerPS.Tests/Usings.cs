global using Xunit;
global using DockerPS.Tests.Infrastructure;
