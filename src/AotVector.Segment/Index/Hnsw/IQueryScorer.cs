namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// One query prepared against one vector store: the graph walk asks it for the raw similarity (greater is closer) of
/// a node and to start loading a node's data. Implemented over float32 vectors and over quantized codes, so the walk
/// is written once and each instantiation inlines its own kernel.
/// </summary>
internal interface IQueryScorer
{
    float Score(uint offset);

    void Prefetch(uint offset);
}
