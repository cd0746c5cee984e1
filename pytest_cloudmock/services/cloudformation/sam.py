"""The SAM transform (`AWS::Serverless-2016-10-31`), placeholder until written below."""
