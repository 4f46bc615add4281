# A CloudFormation stack whose template (JSON) holds a role trusting another account.
resource "aws_cloudformation_stack" "json" {
  name = "tg-json"
  template_body = jsonencode({
    Resources = {
      CrossRole = {
        Type = "AWS::IAM::Role"
        Properties = {
          AssumeRolePolicyDocument = {
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { AWS = "arn:aws:iam::999988887777:root" }
              Action    = "sts:AssumeRole"
            }]
          }
        }
      }
    }
  })
}

# The same in YAML, with a short-form intrinsic in a bucket policy.
resource "aws_cloudformation_stack" "yaml" {
  name          = "tg-yaml"
  template_body = <<-YAML
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
      BucketPolicy:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: !Ref Bucket
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: "*"
                Action: s3:GetObject
                Resource: !Sub "arn:aws:s3:::$${Bucket}/*"
  YAML
}
