using System;
using System.Collections;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>Creates a network, like docker network create; a name that is taken is an error.</summary>
    [Cmdlet(VerbsCommon.New, "DockerNetwork", SupportsShouldProcess = true)]
    [OutputType(typeof(DockerNetwork))]
    public sealed class NewDockerNetworkCommand : DockerCmdlet
    {
        private NetworkCreateOptions? template;

        /// <summary>The network's name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The network driver.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Driver { get; set; } = "bridge";

        /// <summary>Subnets in CIDR form.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Subnet { get; set; }

        /// <summary>Gateway addresses, one per subnet at most.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Gateway { get; set; }

        /// <summary>Ranges (CIDR) within the subnets that containers get addresses from.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? IPRange { get; set; }

        /// <summary>No route out of the network: its containers reach only each other.</summary>
        [Parameter]
        public SwitchParameter Internal { get; set; }

        /// <summary>Let standalone containers join (for swarm networks).</summary>
        [Parameter]
        public SwitchParameter Attachable { get; set; }

        /// <summary>Enable IPv6 (on by itself when an IPv6 subnet is given).</summary>
        [Parameter]
        public SwitchParameter IPv6 { get; set; }

        /// <summary>Labels: a hashtable or key=value strings.</summary>
        [Parameter]
        public object[]? Label { get; set; }

        /// <summary>Driver options, such as @{ 'com.docker.network.bridge.name' = 'br-app' }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? Option { get; set; }

        protected override void BeginProcessingCore()
        {
            // Every address is checked before anything is created.
            try
            {
                template = new NetworkCreateOptions
                {
                    Driver = Driver,
                    Internal = Internal,
                    Attachable = Attachable,
                    EnableIPv6 = IPv6,
                    Pools = NetworkPool.Build(Subnet ?? Array.Empty<string>(), Gateway ?? Array.Empty<string>(), IPRange ?? Array.Empty<string>()),
                    Labels = Settings.ToDictionary(Label, "label"),
                    Options = Settings.ToDictionary(Option == null ? null : new object[] { Option }, "option"),
                };
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }
        }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            if (!ShouldProcess(Name, $"Create {Driver} network"))
            {
                return;
            }

            try
            {
                EngineConnection connection = Connect(host);
                NetworkCreateOptions options = template!;
                options.Name = Name;
                var (network, warning) = Await(ct => NetworkClient.CreateAsync(connection, options, ct));
                if (warning != null)
                {
                    WriteWarning(warning);
                }

                WriteObject(network);
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, Name, ResourceKind.Network, host);
            }
        }
    }
}
