using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Shared pieces of pull and push.</summary>
    internal static class Transfers
    {
        public static TransferProgress Progress(DockerCmdletBase cmdlet, string activity) =>
            new TransferProgress(new TransferProgressRecords(cmdlet, activity));

        /// <summary>An explicit -Credential wins; then the session's login; then the docker CLI's stored one.</summary>
        public static RegistryLogin? Auth(PSCredential? credential, string reference)
        {
            if (credential == null)
            {
                return RegistryAuth.For(reference);
            }

            return new RegistryLogin(RegistryAuth.RegistryOf(reference), credential.GetNetworkCredential(), RegistryLoginSource.Parameter);
        }
    }
}
