module language-test

go 1.25

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.206.0
	github.com/aws/constructs-go/constructs/v10 v10.4.2
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-opensearch-packages/cdk-opensearch-packages-go/cdkopensearchpackages v0.1.0
)

// The library's Go module is not published: use what jsii-pacmak generated
// (npm run package:all). The language tests point this at the fresh build
// and set the aws-cdk-go version to the aws-cdk-lib that package.json pins.
replace github.com/cdk-opensearch-packages/cdk-opensearch-packages-go/cdkopensearchpackages => ../../../dist/go/cdkopensearchpackages
