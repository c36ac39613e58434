
  __Pascal__Function:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: __name__-local
      Description: GET /__name__ - reads one item of its DynamoDB table and audits every attempt.
      CodeUri: ../dist/__name__
      Handler: index.handler
      Environment:
        Variables:
          POWERTOOLS_SERVICE_NAME: __name__
          __CONST___TABLE: __name__-local
      Events:
        Get__Pascal__:
          Type: Api
          Properties:
            Path: /__name__
            Method: get

  __Pascal__Table:
    Type: AWS::Serverless::SimpleTable
    Metadata:
      # Items the local seeders (dev:env, invoke, tests) put into the table; not used in AWS.
      LocalSeedItems: seed/dynamodb/__name__.json
    Properties:
      TableName: __name__-local
      PrimaryKey:
        Name: id
        Type: String
