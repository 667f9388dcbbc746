using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Completers
{
    /// <summary>Completes volume names from the engine.</summary>
    public sealed class VolumeNameCompleter : EngineNameCompleter
    {
        protected override string Kind => "volume";

        internal override Task<IEnumerable<string>> FetchAsync(EngineConnection connection, CancellationToken ct) =>
            VolumeClient.NamesAsync(connection, ct);
    }

    /// <summary>Completes network names from the engine.</summary>
    public sealed class NetworkNameCompleter : EngineNameCompleter
    {
        protected override string Kind => "network";

        internal override Task<IEnumerable<string>> FetchAsync(EngineConnection connection, CancellationToken ct) =>
            NetworkClient.NamesAsync(connection, ct);
    }
}
