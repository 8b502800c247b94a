from ninja import Field, Schema


# [task:setup]
class WorldSchema(Schema):
    id: int
    randomNumber: int = Field(..., alias="randomnumber")  # read from the model's column name


# [/task:setup]
