using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Completers;

namespace DockerPS.Cmdlets
{
    /// <summary>One thing a cmdlet was asked to act on: what the user named, and where it lives.</summary>
    public readonly struct Target<T>
        where T : class
    {
        internal Target(string reference, DockerHost host, T? item)
        {
            Reference = reference;
            Host = host;
            Item = item;
        }

        /// <summary>The id or name to send to the engine.</summary>
        public string Reference { get; }

        /// <summary>The engine it lives on.</summary>
        public DockerHost Host { get; }

        /// <summary>The piped object, if one was piped.</summary>
        public T? Item { get; }

        /// <summary>The piped objects, if any were piped; else the names or ids given, on the cmdlet's engine.</summary>
        internal static IEnumerable<Target<T>> Of(T[]? items, Func<T, string> reference, Func<T, DockerHost> hostOf,
            string[]? references, Func<DockerHost> host)
        {
            if (items != null)
            {
                foreach (T item in items)
                {
                    yield return new Target<T>(reference(item), hostOf(item), item);
                }

                yield break;
            }

            foreach (string r in references ?? Array.Empty<string>())
            {
                yield return new Target<T>(r, host(), null);
            }
        }
    }

    /// <summary>Base of cmdlets that act on containers given as objects, names or ids, on the target rail.</summary>
    public abstract class ContainerTargetCmdlet : TargetCmdlet<DockerContainer>
    {
        protected const string ByName = "Name";
        protected const string ById = "Id";
        protected const string ByObject = "InputObject";

        /// <summary>Containers from Get-DockerContainer or New-DockerContainer.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerContainer[]? InputObject { get; set; }

        /// <summary>Container names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Container ids, whole or a unique prefix.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("ContainerId")]
        public string[]? Id { get; set; }

        private protected override ResourceKind ItemKind => ResourceKind.Container;

        protected override IEnumerable<Target<DockerContainer>> Targets() =>
            Target<DockerContainer>.Of(InputObject, c => c.Id, c => c.DockerHost, Name ?? Id, () => TargetHost(null));
    }

    /// <summary>Base of verb cmdlets that change containers: ShouldProcess per container, -ThrottleLimit of them at once.</summary>
    public abstract class ContainerActionCmdlet : ContainerTargetCmdlet
    {
        /// <summary>How many containers to act on at once; 1 acts on each before the next, in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TargetCmdlet.DefaultThrottleLimit;

        private protected override int Throttle => ThrottleLimit;

        /// <summary>Asks ShouldProcess (or its -Force form) for one container.</summary>
        protected abstract bool ShouldAct(string shown);

        private protected override Target<DockerContainer>? Approve(Target<DockerContainer> target, string shown) =>
            ShouldAct(shown) ? target : (Target<DockerContainer>?)null;

        /// <summary>The container as the engine sees it now, for -PassThru; null without -PassThru.</summary>
        private protected static async Task<object?> PassThruAsync(bool passThru, EngineConnection connection, string reference,
            CancellationToken cancellationToken) =>
            passThru ? await ContainerClient.GetAsync(connection, reference, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>Base of cmdlets that act on one container at a time, piped or named (exec, commit…).</summary>
    public abstract class OneContainerCmdlet : DockerCmdlet
    {
        protected const string ByName = "Container";
        protected const string ByObject = "InputObject";

        /// <summary>The container, from Get-DockerContainer or another DockerPS cmdlet.</summary>
        // Also by property name: when only the by-name set takes input by property name, PowerShell commits a piped
        // container to that set before it looks at its type, and binds its Name without its engine.
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerContainer? InputObject { get; set; }

        /// <summary>The container's name or id.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [Alias("Name", "Id")]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string? Container { get; set; }

        /// <summary>What to send to the engine: the piped container's id, or the name given.</summary>
        protected string ContainerReference => InputObject?.Id ?? Container!;

        /// <summary>What to show the user: the piped container's name, or the name given.</summary>
        protected string ContainerShown => InputObject?.ToString() ?? Container!;

        /// <summary>The engine of the piped container, else -DockerHost or the default.</summary>
        protected DockerHost ContainerHost => TargetHost(InputObject?.DockerHost);
    }

    /// <summary>Base of cmdlets that act on images given as objects, names or ids.</summary>
    public abstract class ImageTargetCmdlet : TargetCmdlet<DockerImage>
    {
        protected const string ByName = "Name";
        protected const string ById = "Id";
        protected const string ByObject = "InputObject";

        /// <summary>Images from Get-DockerImage or Import-DockerImage.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerImage[]? InputObject { get; set; }

        /// <summary>Image references (repository:tag).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [Alias("Reference")]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Image ids, whole or a unique prefix.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("ImageId")]
        public string[]? Id { get; set; }

        private protected override ResourceKind ItemKind => ResourceKind.Image;

        protected override IEnumerable<Target<DockerImage>> Targets() =>
            Target<DockerImage>.Of(InputObject, i => i.EngineName, i => i.DockerHost, Name ?? Id, () => TargetHost(null));
    }

    /// <summary>Base of cmdlets that remove networks given as objects, names or ids, -ThrottleLimit of them at once.</summary>
    public abstract class NetworkTargetCmdlet : TargetCmdlet<DockerNetwork>
    {
        protected const string ByName = "Name";
        protected const string ById = "Id";
        protected const string ByObject = "InputObject";

        /// <summary>Networks from Get-DockerNetwork or New-DockerNetwork.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerNetwork[]? InputObject { get; set; }

        /// <summary>Network names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Network ids, whole or a unique prefix.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("NetworkId")]
        public string[]? Id { get; set; }

        /// <summary>How many networks to act on at once; 1 acts on each before the next, in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TargetCmdlet.DefaultThrottleLimit;

        private protected override int Throttle => ThrottleLimit;

        private protected override ResourceKind ItemKind => ResourceKind.Network;

        protected override IEnumerable<Target<DockerNetwork>> Targets() =>
            Target<DockerNetwork>.Of(InputObject, n => n.Id, n => n.DockerHost, Name ?? Id, () => TargetHost(null));
    }

    /// <summary>Base of cmdlets that remove volumes given as objects or names, -ThrottleLimit of them at once.</summary>
    public abstract class VolumeTargetCmdlet : TargetCmdlet<DockerVolume>
    {
        protected const string ByName = "Name";
        protected const string ByObject = "InputObject";

        /// <summary>Volumes from Get-DockerVolume or New-DockerVolume.</summary>
        // By property name too, so a piped volume keeps its engine: see OneContainerCmdlet.InputObject.
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerVolume[]? InputObject { get; set; }

        /// <summary>Volume names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VolumeNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>How many volumes to act on at once; 1 acts on each before the next, in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TargetCmdlet.DefaultThrottleLimit;

        private protected override int Throttle => ThrottleLimit;

        private protected override ResourceKind ItemKind => ResourceKind.Volume;

        protected override IEnumerable<Target<DockerVolume>> Targets() =>
            Target<DockerVolume>.Of(InputObject, v => v.Name, v => v.DockerHost, Name, () => TargetHost(null));
    }
}
