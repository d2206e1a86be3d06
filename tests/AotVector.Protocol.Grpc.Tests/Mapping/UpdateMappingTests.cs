using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Grpc.Mapping;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class UpdateMappingTests
{
    [Fact]
    public void ToEngine_Upsert_MapsPointsFilterAndMode()
    {
        var request = new Wire.UpsertPoints { CollectionName = "c", UpdateMode = Wire.UpdateMode.InsertOnly, UpdateFilter = new Wire.Filter() };
        var point = new Wire.PointStruct
        {
            Id = new Wire.PointId { Uuid = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26" },
            Vectors = new Wire.Vectors { Vector = new Wire.Vector { Dense = Dense(1, 2) } },
        };
        point.Payload["city"] = new Wire.Value { StringValue = "Berlin" };
        request.Points.Add(point);
        request.Points.Add(new Wire.PointStruct { Id = new Wire.PointId { Num = 2 } });

        var upsert = Assert.IsType<UpsertPoints>(UpdateMapping.ToEngine(request).Value);

        Assert.Equal(UpdateMode.InsertOnly, upsert.Mode);
        Assert.NotNull(upsert.UpdateFilter);
        Assert.Equal("Berlin", upsert.Points[0].Payload!["city"]!.AsString);
        Assert.Equal(new[] { 1f, 2f }, upsert.Points[0].Vectors[""]);
        Assert.Null(upsert.Points[1].Payload);
        Assert.Empty(upsert.Points[1].Vectors);
    }

    [Fact]
    public void ToEngine_UpsertNamedSparse_CarriesIndicesAndValues()
    {
        var sparse = new Wire.SparseVector();
        sparse.Indices.Add([7u, 2u]);
        sparse.Values.Add([0.5f, 1.5f]);
        var named = new Wire.NamedVectors();
        named.Vectors["text"] = new Wire.Vector { Sparse = sparse };
        var request = new Wire.UpsertPoints { CollectionName = "c" };
        request.Points.Add(new Wire.PointStruct { Id = new Wire.PointId { Num = 1 }, Vectors = new Wire.Vectors { Vectors_ = named } });

        var upsert = Assert.IsType<UpsertPoints>(UpdateMapping.ToEngine(request).Value);

        Assert.Equal(new SparseVector([7u, 2u], [0.5f, 1.5f]), upsert.Points[0].Vectors["text"]);
    }

    [Fact]
    public void ToEngine_DeleteByIdsAndByFilter()
    {
        var ids = new Wire.PointsIdsList();
        ids.Ids.Add(new Wire.PointId { Num = 4 });

        var byIds = Assert.IsType<DeletePoints>(UpdateMapping.ToEngine(new Wire.DeletePoints { Points = new Wire.PointsSelector { Points = ids } }).Value);
        var byFilter = Assert.IsType<DeletePoints>(UpdateMapping.ToEngine(new Wire.DeletePoints { Points = new Wire.PointsSelector { Filter = new Wire.Filter() } }).Value);

        Assert.Equal(new[] { PointId.FromNum(4) }, byIds.Selector.Ids!);
        Assert.Null(byIds.Selector.Filter);
        Assert.NotNull(byFilter.Selector.Filter);
        Assert.Null(byFilter.Selector.Ids);
    }

    [Fact]
    public void ToEngine_DeleteWithoutSelector_NamesPoints()
    {
        var result = UpdateMapping.ToEngine(new Wire.DeletePoints { CollectionName = "c" });

        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        Assert.Contains("points", result.Error.Message);
    }

    [Fact]
    public void ToEngine_PayloadOperations_Map()
    {
        var set = new Wire.SetPayloadPoints { PointsSelector = Ids(1), Key = "a.b" };
        set.Payload["x"] = new Wire.Value { DoubleValue = 1.5 };
        var delete = new Wire.DeletePayloadPoints { PointsSelector = Ids(1) };
        delete.Keys.Add("x");

        var setOp = Assert.IsType<SetPayload>(UpdateMapping.ToSetPayload(set).Value);
        var overwriteOp = Assert.IsType<OverwritePayload>(UpdateMapping.ToOverwritePayload(new Wire.SetPayloadPoints { PointsSelector = Ids(1) }).Value);
        var deleteOp = Assert.IsType<DeletePayloadKeys>(UpdateMapping.ToEngine(delete).Value);
        var clearOp = Assert.IsType<ClearPayload>(UpdateMapping.ToEngine(new Wire.ClearPayloadPoints { Points = Ids(1) }).Value);

        Assert.Equal("a.b", setOp.Key);
        Assert.Equal(1.5, setOp.Payload["x"]!.AsDouble);
        Assert.Equal(0, overwriteOp.Payload.Count);
        Assert.Null(overwriteOp.Key);
        Assert.Equal("k", Assert.IsType<OverwritePayload>(UpdateMapping.ToOverwritePayload(new Wire.SetPayloadPoints { PointsSelector = Ids(1), Key = "k" }).Value).Key);
        Assert.Equal(new[] { "x" }, deleteOp.Keys);
        Assert.Single(clearOp.Selector.Ids!);
    }

    [Fact]
    public void ToEngine_VectorOperations_Map()
    {
        var update = new Wire.UpdatePointVectors();
        update.Points.Add(new Wire.PointVectors { Id = new Wire.PointId { Num = 1 }, Vectors = new Wire.Vectors { Vector = new Wire.Vector { Dense = Dense(3) } } });
        var delete = new Wire.DeletePointVectors { PointsSelector = Ids(1), Vectors = new Wire.VectorsSelector() };
        delete.Vectors.Names.Add("image");

        var updateOp = Assert.IsType<UpdateVectors>(UpdateMapping.ToEngine(update).Value);
        var deleteOp = Assert.IsType<DeleteVectors>(UpdateMapping.ToEngine(delete).Value);

        Assert.Equal(new[] { 3f }, Assert.Single(updateOp.Points).Vectors[""]);
        Assert.Equal(new[] { "image" }, deleteOp.VectorNames);
        Assert.False(UpdateMapping.ToEngine(new Wire.DeletePointVectors { PointsSelector = Ids(1) }).IsOk);
    }

    [Theory]
    [InlineData(Wire.FieldType.Keyword, PayloadSchemaType.Keyword)]
    [InlineData(Wire.FieldType.Integer, PayloadSchemaType.Integer)]
    [InlineData(Wire.FieldType.Float, PayloadSchemaType.Float)]
    [InlineData(Wire.FieldType.Geo, PayloadSchemaType.Geo)]
    [InlineData(Wire.FieldType.Text, PayloadSchemaType.Text)]
    [InlineData(Wire.FieldType.Bool, PayloadSchemaType.Bool)]
    [InlineData(Wire.FieldType.Datetime, PayloadSchemaType.Datetime)]
    [InlineData(Wire.FieldType.Uuid, PayloadSchemaType.Uuid)]
    public void ToEngine_CreateFieldIndex_MapsEveryType(Wire.FieldType type, PayloadSchemaType expected)
    {
        var op = UpdateMapping.ToEngine(new Wire.CreateFieldIndexCollection { CollectionName = "c", FieldName = "f", FieldType = type }).Value;

        Assert.Equal(new CreateFieldIndex("f", expected), op);
    }

    [Fact]
    public void ToEngine_CreateFieldIndex_IndexParameters()
    {
        CreateFieldIndex Map(Wire.PayloadIndexParams p) =>
            (CreateFieldIndex)UpdateMapping.ToEngine(new Wire.CreateFieldIndexCollection { FieldName = "f", FieldIndexParams = p }).Value!;

        Assert.Equal(
            new FieldIndexOptions(IsTenant: true, Memory: IndexMemory.Cold),
            Map(new Wire.PayloadIndexParams { KeywordIndexParams = new Wire.KeywordIndexParams { IsTenant = true, Memory = Wire.Memory.Cold } }).Options);
        Assert.Equal(
            new FieldIndexOptions(IsPrincipal: false, Lookup: false, Range: true),
            Map(new Wire.PayloadIndexParams { IntegerIndexParams = new Wire.IntegerIndexParams { IsPrincipal = false, Lookup = false, Range = true } }).Options);
        Assert.Equal(
            new FieldIndexOptions(EnableHnsw: false),
            Map(new Wire.PayloadIndexParams { GeoIndexParams = new Wire.GeoIndexParams { EnableHnsw = false } }).Options);
        Assert.Equal(new FieldIndexOptions(), Map(new Wire.PayloadIndexParams { BoolIndexParams = new Wire.BoolIndexParams() }).Options);
    }

    [Fact]
    public void ToEngine_CreateFieldIndex_TypeFromParamsOrRequired()
    {
        var fromParams = UpdateMapping.ToEngine(new Wire.CreateFieldIndexCollection
        {
            FieldName = "f",
            FieldIndexParams = new Wire.PayloadIndexParams { IntegerIndexParams = new Wire.IntegerIndexParams() },
        }).Value;

        Assert.Equal(new CreateFieldIndex("f", PayloadSchemaType.Integer) { Options = new FieldIndexOptions() }, fromParams);
        Assert.Equal("Wrong input: Can't auto-detect field type, please specify `field_schema` in the request", UpdateMapping.ToEngine(new Wire.CreateFieldIndexCollection { FieldName = "f" }).Error.Message);
        Assert.Contains("field_name", UpdateMapping.ToEngine(new Wire.CreateFieldIndexCollection { FieldType = Wire.FieldType.Keyword }).Error.Message);
        Assert.Equal(new DeleteFieldIndex("f"), UpdateMapping.ToEngine(new Wire.DeleteFieldIndexCollection { FieldName = "f" }).Value);
    }

    [Fact]
    public void ToEngine_BatchOperations_MapInOrder()
    {
        var upsert = new Wire.PointsUpdateOperation.Types.PointStructList();
        upsert.Points.Add(new Wire.PointStruct { Id = new Wire.PointId { Num = 1 } });
        var operations = new Google.Protobuf.Collections.RepeatedField<Wire.PointsUpdateOperation>
        {
            new Wire.PointsUpdateOperation { Upsert = upsert },
            new Wire.PointsUpdateOperation { SetPayload = new Wire.PointsUpdateOperation.Types.SetPayload { PointsSelector = Ids(1) } },
            new Wire.PointsUpdateOperation { OverwritePayload = new Wire.PointsUpdateOperation.Types.OverwritePayload { PointsSelector = Ids(1) } },
            new Wire.PointsUpdateOperation { DeletePayload = new Wire.PointsUpdateOperation.Types.DeletePayload { PointsSelector = Ids(1) } },
            new Wire.PointsUpdateOperation { ClearPayload = new Wire.PointsUpdateOperation.Types.ClearPayload { Points = Ids(1) } },
            new Wire.PointsUpdateOperation { DeletePoints = new Wire.PointsUpdateOperation.Types.DeletePoints { Points = Ids(1) } },
        };

        var mapped = UpdateMapping.ToEngine(operations).Value!;

        Assert.Collection(
            mapped,
            op => Assert.IsType<UpsertPoints>(op),
            op => Assert.IsType<SetPayload>(op),
            op => Assert.IsType<OverwritePayload>(op),
            op => Assert.IsType<DeletePayloadKeys>(op),
            op => Assert.IsType<ClearPayload>(op),
            op => Assert.IsType<DeletePoints>(op));
        Assert.False(UpdateMapping.ToEngine(new Wire.PointsUpdateOperation()).IsOk);
    }

    private static Wire.PointsSelector Ids(params ulong[] ids)
    {
        var list = new Wire.PointsIdsList();
        list.Ids.Add(ids.Select(id => new Wire.PointId { Num = id }));
        return new Wire.PointsSelector { Points = list };
    }

    private static Wire.DenseVector Dense(params float[] values)
    {
        var dense = new Wire.DenseVector();
        dense.Data.Add(values);
        return dense;
    }
}
