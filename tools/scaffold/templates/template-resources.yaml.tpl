
  __Pascal__Function:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub __name__-${Stage}
      Description: GET /__name__ - reads one item of its DynamoDB table and audits every attempt.
      CodeUri: ../dist/__name__
      Handler: index.handler
      Environment:
        Variables:
          POWERTOOLS_SERVICE_NAME: __name__
          CORS_ORIGIN: http://localhost:3000,http://localhost:5173
          API_ALIAS: ''
          AUDIT_TABLE: pricing-audit-local
          AUDIT_RETENTION_DAYS: '7'
          DYNAMODB_ENDPOINT: http://host.docker.internal:8000
          DYNAMODB_TIMEOUT_MS: '1500'
          __CONST___TABLE: __name__-local
      LoggingConfig:
        LogGroup: !Ref __Pascal__LogGroup
      Events:
        Get__Pascal__:
          Type: Api
          Properties:
            Path: /__name__
            Method: get

  __Pascal__LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/__name__-${Stage}
      RetentionInDays: !FindInMap [LogRetention, !Ref Stage, Days]

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
