// The language tests' stack in Go: the same stack as test/languages/typescript/app.ts.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsopensearchservice"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-opensearch-packages/cdk-opensearch-packages-go/cdkopensearchpackages"
)

func NewLanguageTestStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, &id, props)

	domain := awsopensearchservice.Domain_FromDomainAttributes(stack, jsii.String("Domain"), &awsopensearchservice.DomainAttributes{
		DomainArn:      jsii.String("arn:aws:es:eu-west-1:123456789012:domain/products"),
		DomainEndpoint: jsii.String("https://search-products-abcdefghijklmnopqrstuvwxyz.eu-west-1.es.amazonaws.com"),
	})

	// A dictionary from a file of this app, associated with the domain.
	synonyms := cdkopensearchpackages.NewCustomPackage(stack, jsii.String("Synonyms"), &cdkopensearchpackages.CustomPackageProps{
		PackageName: jsii.String("product-synonyms"),
		Source:      cdkopensearchpackages.PackageSource_FromAsset(jsii.String("dictionaries/synonyms.txt"), nil),
	})
	association := synonyms.AssociateWith(domain, nil)

	// A package that already exists: a plugin's configuration, with the plugin as its prerequisite.
	cdkopensearchpackages.NewDomainPackageAssociation(stack, jsii.String("PluginConfig"), &cdkopensearchpackages.DomainPackageAssociationProps{
		Domain:                 domain,
		PackageId:              jsii.String("pkg-0123456789abcdef0"),
		VersionLabel:           jsii.String("v2"),
		PrerequisitePackageIds: jsii.Strings("pkg-fedcba98765432100"),
	})

	awscdk.NewCfnOutput(stack, jsii.String("SynonymsPath"), &awscdk.CfnOutputProps{
		Value: association.ReferencePath(),
	})

	return stack
}

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)
	NewLanguageTestStack(app, "OpenSearchPackagesLanguageTest", nil)
	app.Synth(nil)
}
