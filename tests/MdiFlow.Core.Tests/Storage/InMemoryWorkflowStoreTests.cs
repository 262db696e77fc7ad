using MdiFlow.Storage;
using MdiFlow.Testing.Storage;

namespace MdiFlow.Core.Tests.Storage;

public sealed class InMemoryWorkflowStoreTests : WorkflowStoreContract
{
    protected override ValueTask<IWorkflowStore> CreateStoreAsync() => ValueTask.FromResult<IWorkflowStore>(new InMemoryWorkflowStore());
}
