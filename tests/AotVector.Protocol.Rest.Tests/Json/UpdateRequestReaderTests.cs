using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Operations;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class UpdateRequestReaderTests
{
    [Fact]
    public void ReadUpsert_PointList()
    {
        var op = Body.Ok("""
            {"points":[{"id":1,"vector":[0.05,0.61],"payload":{"city":"Berlin"}},
                       {"id":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26","vector":{"img":[1,2]}}]}
            """, e => UpdateRequestReader.ReadUpsert(e, ""));
        Assert.Equal(2, op.Points.Count);
        Assert.Equal(PointId.FromNum(1), op.Points[0].Id);
        Assert.Equal([0.05f, 0.61f], ((DenseVector)op.Points[0].Vectors[""]).Values);
        Assert.Equal(PayloadValue.FromString("Berlin"), op.Points[0].Payload!["city"]);
        Assert.True(op.Points[1].Id.IsUuid);
        Assert.Null(op.Points[1].Payload);
        Assert.Equal(UpdateMode.Upsert, op.Mode);
        Assert.Null(op.UpdateFilter);
    }

    [Fact]
    public void ReadUpsert_BatchForm_UnnamedAndNamed()
    {
        var op = Body.Ok("""{"batch":{"ids":[1,2],"vectors":[[1,2],[3,4]],"payloads":[{"a":1},null]}}""", e => UpdateRequestReader.ReadUpsert(e, ""));
        Assert.Equal([3f, 4f], ((DenseVector)op.Points[1].Vectors[""]).Values);
        Assert.Equal(PayloadValue.FromInteger(1), op.Points[0].Payload!["a"]);
        Assert.Null(op.Points[1].Payload);

        var named = Body.Ok("""{"batch":{"ids":[1,2],"vectors":{"img":[[1],[2]],"txt":[[3],[4]]}}}""", e => UpdateRequestReader.ReadUpsert(e, ""));
        Assert.Equal([4f], ((DenseVector)named.Points[1].Vectors["txt"]).Values);
        Assert.Equal([1f], ((DenseVector)named.Points[0].Vectors["img"]).Values);
    }

    [Fact]
    public void ReadUpsert_ModeAndUpdateFilter()
    {
        var op = Body.Ok("""{"points":[{"id":1,"vector":[1]}],"update_mode":"insert_only","update_filter":{"must":[{"key":"v","range":{"lt":3}}]}}""", e => UpdateRequestReader.ReadUpsert(e, ""));
        Assert.Equal(UpdateMode.InsertOnly, op.Mode);
        Assert.NotNull(op.UpdateFilter);
    }

    [Theory]
    [InlineData("""{"points":[{"id":-1,"vector":[1]}]}""", "Format error in JSON body: value -1 is not a valid point ID, valid values are either an unsigned integer or a UUID at points[0].id")]
    [InlineData("""{"points":[{"id":1.5,"vector":[1]}]}""", "Format error in JSON body: value 1.5 is not a valid point ID, valid values are either an unsigned integer or a UUID at points[0].id")]
    [InlineData("""{"points":[{"id":"7","vector":[1]}]}""", "Format error in JSON body: value \"7\" is not a valid point ID, valid values are either an unsigned integer or a UUID at points[0].id")]
    [InlineData("""{"points":[{"vector":[1]}]}""", "Format error in JSON body: missing field `id` at points[0]")]
    [InlineData("""{"points":[{"id":1}]}""", "Format error in JSON body: missing field `vector` at points[0]")]
    [InlineData("""{"points":[{"id":1,"vector":[1],"payload":[1]}]}""", "Format error in JSON body: invalid type: a sequence, expected a JSON object as payload at points[0].payload")]
    [InlineData("""{}""", "Format error in JSON body: either `points` or `batch` must be provided")]
    [InlineData("""{"points":[],"batch":{"ids":[],"vectors":[]}}""", "Format error in JSON body: either `points` or `batch` must be given, not both")]
    [InlineData("""{"points":[{"id":1,"vector":{"sp":{"indices":[1]}}}]}""", "Format error in JSON body: missing field `values` at points[0].vector.sp")]
    [InlineData("""{"batch":{"ids":[1,2],"vectors":[[1]]}}""", "Wrong input: number of ids and vectors must be equal (2 ids, 1 vectors)")]
    [InlineData("""{"points":[{"id":1,"vector":[1]}],"update_mode":"merge"}""", "Format error in JSON body: unknown variant `merge`, expected one of `upsert`, `insert_only`, `update_only` at update_mode")]
    public void ReadUpsert_Errors(string json, string message) =>
        Assert.Equal(message, Body.Fail(json, e => UpdateRequestReader.ReadUpsert(e, "")).Message);

    [Fact]
    public void ReadDelete_ByIdsOrFilter()
    {
        Assert.Equal(2, Body.Ok("""{"points":[1,2]}""", e => UpdateRequestReader.ReadDelete(e, "")).Selector.Ids!.Count);
        Assert.NotNull(Body.Ok("""{"filter":{"must":[{"has_id":[1]}]}}""", e => UpdateRequestReader.ReadDelete(e, "")).Selector.Filter);
        Assert.Contains("must be provided", Body.Fail("{}", e => UpdateRequestReader.ReadDelete(e, "")).Message);
        Assert.Contains("not both", Body.Fail("""{"points":[1],"filter":{}}""", e => UpdateRequestReader.ReadDelete(e, "")).Message);
    }

    [Fact]
    public void ReadPayloadOperations()
    {
        var set = Body.Ok("""{"payload":{"a":null,"b":2},"points":[1],"key":"nested.path"}""", e => UpdateRequestReader.ReadSetPayload(e, ""));
        Assert.Equal(PayloadValue.Null, set.Payload["a"]);
        Assert.Equal("nested.path", set.Key);
        Assert.Single(set.Selector.Ids!);

        var overwrite = Body.Ok("""{"payload":{"x":1},"filter":{"must":[{"has_id":[1]}]}}""", e => UpdateRequestReader.ReadOverwritePayload(e, ""));
        Assert.NotNull(overwrite.Selector.Filter);
        Assert.Null(overwrite.Key);
        Assert.Equal("a.b", Body.Ok("""{"payload":{"x":1},"points":[1],"key":"a.b"}""", e => UpdateRequestReader.ReadOverwritePayload(e, "")).Key);
        Assert.Contains("key", Body.Fail("""{"payload":{"x":1},"points":[1],"key":"a..b"}""", e => UpdateRequestReader.ReadOverwritePayload(e, "")).Message, StringComparison.Ordinal);

        var delete = Body.Ok("""{"keys":["a","b.c"],"points":[1]}""", e => UpdateRequestReader.ReadDeletePayload(e, ""));
        Assert.Equal(["a", "b.c"], delete.Keys);

        Assert.Single(Body.Ok("""{"points":[3]}""", e => UpdateRequestReader.ReadClearPayload(e, "")).Selector.Ids!);
        Assert.Equal("Format error in JSON body: missing field `payload`", Body.Fail("""{"points":[1]}""", e => UpdateRequestReader.ReadSetPayload(e, "")).Message);
        Assert.Equal("Format error in JSON body: missing field `keys`", Body.Fail("""{"points":[1]}""", e => UpdateRequestReader.ReadDeletePayload(e, "")).Message);
    }

    [Fact]
    public void ReadVectorOperations()
    {
        var update = Body.Ok("""{"points":[{"id":1,"vector":{"image":[1,2]}}],"update_filter":{"must":[{"has_id":[1]}]}}""", e => UpdateRequestReader.ReadUpdateVectors(e, ""));
        Assert.Equal([1f, 2f], ((DenseVector)Assert.Single(update.Points).Vectors["image"]).Values);
        Assert.NotNull(update.UpdateFilter);

        var delete = Body.Ok("""{"points":[1],"vector":["image"]}""", e => UpdateRequestReader.ReadDeleteVectors(e, ""));
        Assert.Equal(["image"], delete.VectorNames);
        Assert.Equal("Format error in JSON body: missing field `vector`", Body.Fail("""{"points":[1]}""", e => UpdateRequestReader.ReadDeleteVectors(e, "")).Message);
    }

    [Fact]
    public void ReadBatchOperations_EveryKind()
    {
        var ops = Body.Ok("""
            {"operations":[
              {"upsert":{"points":[{"id":1,"vector":[1]}]}},
              {"delete":{"points":[2]}},
              {"set_payload":{"payload":{"a":1},"points":[1]}},
              {"overwrite_payload":{"payload":{"a":1},"points":[1]}},
              {"delete_payload":{"keys":["a"],"points":[1]}},
              {"clear_payload":{"points":[1]}},
              {"update_vectors":{"points":[{"id":1,"vector":[2]}]}},
              {"delete_vectors":{"points":[1],"vector":[""]}}]}
            """, UpdateRequestReader.ReadBatchOperations);
        Assert.Collection(ops,
            o => Assert.IsType<UpsertPoints>(o),
            o => Assert.IsType<DeletePoints>(o),
            o => Assert.IsType<SetPayload>(o),
            o => Assert.IsType<OverwritePayload>(o),
            o => Assert.IsType<DeletePayloadKeys>(o),
            o => Assert.IsType<ClearPayload>(o),
            o => Assert.IsType<UpdateVectors>(o),
            o => Assert.IsType<DeleteVectors>(o));
    }

    [Fact]
    public void ReadBatchOperations_ErrorNamesOperation()
    {
        var error = Body.Fail("""{"operations":[{"delete":{"points":[1]}},{"upsert":{"points":[{"id":-2,"vector":[1]}]}}]}""", UpdateRequestReader.ReadBatchOperations);
        Assert.EndsWith("at operations[1].upsert.points[0].id", error.Message);
        Assert.Contains("unknown variant `merge`", Body.Fail("""{"operations":[{"merge":{}}]}""", UpdateRequestReader.ReadBatchOperations).Message);
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
    }
}
