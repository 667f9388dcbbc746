using System;
using System.Management.Automation;
using System.Reflection;

namespace DockerPS
{
    /// <summary>
    /// On PowerShell 7, DockerPS.dll lives in its private load context (DockerPS.Loader), where PowerShell does not look
    /// when it resolves a type name. Each public type is registered as a type accelerator under its full name, as the
    /// PowerShell documentation shows for exposing a module's types, so [DockerPS.DockerImage], -is
    /// [DockerPS.DockerContainer] and the format files' [DockerPS.Display]::Size(...) name the very types the cmdlets
    /// use. Counted: every runspace that imports the module adds, and the names go when the last one removes it.
    /// </summary>
    internal static class TypeNames
    {
        private static readonly object Gate = new object();
        private static int users;

        public static void Add()
        {
            lock (Gate)
            {
                if (users++ == 0)
                {
                    Each("Add", type => new object[] { type.FullName!, type });
                }
            }
        }

        public static void Remove()
        {
            lock (Gate)
            {
                if (users > 0 && --users == 0)
                {
                    Each("Remove", type => new object[] { type.FullName! });
                }
            }
        }

        private static void Each(string method, Func<Type, object[]> arguments)
        {
            // An internal class of PowerShell with public static Add/Remove, the documented way to add type accelerators.
            Type? accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
            MethodInfo? call = accelerators?.GetMethod(method, BindingFlags.Public | BindingFlags.Static);
            if (call == null)
            {
                return;
            }

            foreach (Type type in typeof(TypeNames).Assembly.GetExportedTypes())
            {
                call.Invoke(null, arguments(type));
            }
        }
    }
}
