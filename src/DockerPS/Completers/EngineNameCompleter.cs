using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Completers
{
    /// <summary>
    /// Completes names from the engine. Lists are cached briefly and each lookup is bounded in time, so a slow or
    /// missing engine never blocks the prompt; it just offers nothing.
    /// </summary>
    public abstract class EngineNameCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan LookupBudget = TimeSpan.FromSeconds(2);
        private static readonly ConcurrentDictionary<string, (DateTime At, string[] Names)> Cache =
            new ConcurrentDictionary<string, (DateTime, string[])>();

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            DockerHost host;
            try
            {
                host = HostFrom(fakeBoundParameters) ?? HostResolver.ResolveDefault();
            }
            catch (ArgumentException)
            {
                return Array.Empty<CompletionResult>();
            }

            string[] names = Names(host);
            string typed = wordToComplete.Trim('\'', '"');
            var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
            return names.Where(pattern.IsMatch)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n))
                .ToArray();
        }

        /// <summary>Which list this completer offers, for the cache key.</summary>
        protected abstract string Kind { get; }

        /// <summary>Fetches the names from the engine.</summary>
        internal abstract Task<IEnumerable<string>> FetchAsync(EngineConnection connection, CancellationToken ct);

        private string[] Names(DockerHost host)
        {
            string key = Kind + "|" + host.Key;
            if (Cache.TryGetValue(key, out var cached) && DateTime.UtcNow - cached.At < CacheFor)
            {
                return cached.Names;
            }

            try
            {
                using var budget = new CancellationTokenSource(LookupBudget);
                Task<string[]> lookup = Task.Run(async () =>
                {
                    EngineConnection connection = await EngineConnection.GetAsync(host, budget.Token).ConfigureAwait(false);
                    var found = await FetchAsync(connection, budget.Token).ConfigureAwait(false);
                    return found.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
                });
                if (!lookup.Wait(LookupBudget))
                {
                    return Array.Empty<string>();
                }

                Cache[key] = (DateTime.UtcNow, lookup.Result);
                return lookup.Result;
            }
            catch (Exception ex) when (ex is AggregateException || ex is OperationCanceledException)
            {
                return Array.Empty<string>();
            }
        }

        private static DockerHost? HostFrom(IDictionary bound)
        {
            if (bound == null || !bound.Contains("DockerHost"))
            {
                return null;
            }

            object? value = bound["DockerHost"];
            value = value is PSObject ps ? ps.BaseObject : value;
            if (value is object[] many && many.Length > 0)
            {
                value = many[0] is PSObject p ? p.BaseObject : many[0];
            }

            return value switch
            {
                DockerHost h => h,
                DockerHost[] hs when hs.Length > 0 => hs[0],
                string s => new DockerHost(s),
                _ => null,
            };
        }

        private static string Quote(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
    }

    /// <summary>Completes image references (repository:tag) from the engine.</summary>
    public sealed class ImageNameCompleter : EngineNameCompleter
    {
        protected override string Kind => "image";

        internal override async Task<IEnumerable<string>> FetchAsync(EngineConnection connection, CancellationToken ct)
        {
            var images = await ImageClient.ListAsync(connection, false, false, ct).ConfigureAwait(false);
            return images.SelectMany(i => i.RepoTags);
        }
    }

    /// <summary>Completes container names from the engine.</summary>
    public sealed class ContainerNameCompleter : EngineNameCompleter
    {
        protected override string Kind => "container";

        internal override async Task<IEnumerable<string>> FetchAsync(EngineConnection connection, CancellationToken ct)
        {
            var containers = await ContainerClient.ListAsync(connection, null, ct).ConfigureAwait(false);
            return containers.Select(c => c.Name).Where(n => n.Length > 0);
        }
    }
}
