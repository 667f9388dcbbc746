using System.Management.Automation;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Registry
{
    /// <summary>Logs in to a registry, like docker login: the engine checks the credential, the session keeps it.</summary>
    [Cmdlet(VerbsCommunications.Connect, "DockerRegistry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(DockerRegistryConnection))]
    public sealed class ConnectDockerRegistryCommand : DockerCmdlet
    {
        /// <summary>The registry, host[:port] (docker.io when not given).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("ServerAddress")]
        public string Registry { get; set; } = RegistryAuth.DockerHub;

        /// <summary>The user name and password (or access token) for the registry.</summary>
        [Parameter(Mandatory = true)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        protected override void ProcessRecordCore()
        {
            string registry = RegistryAuth.Normalize(Registry);
            if (!ShouldProcess(registry, $"Log in as '{Credential!.UserName}'"))
            {
                return;
            }

            DockerHost host = TargetHost(null);
            EngineConnection connection = Connect(host);
            var login = new RegistryLogin(registry, Credential.GetNetworkCredential(), RegistryLoginSource.Session);
            Await(ct => ImageClient.LoginAsync(connection, login, ct));
            RegistryAuth.Remember(login);
            WriteObject(new DockerRegistryConnection(connection.Host, registry, login.UserName, "Login Succeeded"));
        }
    }
}
